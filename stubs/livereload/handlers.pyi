from _typeshed import Incomplete
from typing import Any, ClassVar

from livereload.watcher import Watcher
from tornado import web
from tornado.websocket import WebSocketHandler

class LiveReloadHandler(WebSocketHandler):
    DEFAULT_RELOAD_TIME: ClassVar[float]
    waiters: ClassVar[set[LiveReloadHandler]]
    watcher: ClassVar[Watcher | None]
    live_css: ClassVar[bool | None]
    def send_message(self, message: str | dict[str, Any]) -> None: ...
    @classmethod
    def start_tasks(cls) -> None: ...
    @classmethod
    def poll_tasks(cls) -> None: ...
    @classmethod
    def reload_waiters(cls, path: str | None = None) -> None: ...

class LiveReloadJSHandler(web.RequestHandler):
    def get(self) -> None: ...

class ForceReloadHandler(web.RequestHandler):
    def get(self) -> None: ...

def __getattr__(name: str) -> Incomplete: ...
