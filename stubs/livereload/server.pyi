from _typeshed import Incomplete
from _typeshed.wsgi import WSGIApplication
from collections.abc import Callable

from livereload.watcher import Watcher
from tornado.wsgi import WSGIContainer

class LiveScriptContainer(WSGIContainer):
    def __init__(self, wsgi_app: WSGIApplication, script: bytes | str = "") -> None: ...

class Server:
    root: str | None
    app: WSGIApplication | None
    watcher: Watcher
    def __init__(self, app: WSGIApplication | None = None,
                 watcher: Watcher | None = None) -> None: ...
    def watch(self, filepath: str, func: str | Callable[[], object] | None = None,
              delay: float | str | None = None,
              ignore: Callable[[str], bool] | None = None) -> None: ...
    def application(self, port: int, host: str, liveport: int | None = None,
                    debug: bool | None = None, live_css: bool = True) -> None: ...
    def serve(self, port: int = 5500, liveport: int | None = None, host: str | None = None,
              root: str | None = None, debug: bool | None = None, open_url: bool = False,
              restart_delay: float = 2, open_url_delay: float | None = None,
              live_css: bool = True, default_filename: str = "index.html") -> None: ...

def shell(cmd: str | list[str], output: str | None = None, mode: str = "w",
          cwd: str | None = None, shell: bool = False) -> Callable[[], None]: ...
def __getattr__(name: str) -> Incomplete: ...
