"""A real OpenSearch 2.19 cluster on loopback for the tests, one JVM per node.

The nodes run `opensearch-launcher/` (a Maven project built from Maven Central
artifacts only), so a test can SIGKILL one node's process and watch the
others carry on. Every JVM this module starts is stopped by `Cluster.stop()`,
at interpreter exit, on SIGTERM, and, should this process die without running
any of those, by the JVM itself: each node exits when its standard input (a
pipe held by this process) closes.

Use as a context manager or through the `opensearch_cluster` pytest fixture:

    with Cluster().start(nodes=3) as cluster:
        cluster.wait_for("green")
        requests.get(cluster.urls[0])

or by hand, to point the archive or a benchmark at it:

    .venv/bin/python tests/opensearch_cluster.py --nodes 3
"""
from __future__ import annotations

import atexit
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

LAUNCHER_DIR = Path(__file__).resolve().parents[1] / "opensearch-launcher"
TARGET = LAUNCHER_DIR / "target"
JAR = TARGET / "opensearch-launcher.jar"
LIB = TARGET / "lib"
MAIN_CLASS = "org.newsarchive.opensearch.Launcher"
BUILD_LOCK = Path(tempfile.gettempdir()) / "opensearch-launcher-build.lock"

HEAP_MB = 512
START_TIMEOUT = 240.0  # seconds for every node to answer HTTP; 3 JVMs share 2 cores
STOP_TIMEOUT = 20.0
LOG_TAIL_LINES = 40
STATUS_RANK = {"red": 0, "yellow": 1, "green": 2}

# The JVM flags a distribution's jvm.options would give, less what a test node does not need.
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
    "-Dlog4j.shutdownHookEnabled=false",
    "-Dlog4j2.disable.jmx=true",
    "-Dio.netty.allocator.numDirectArenas=0",
]
# C1 only: a node starts in about half the time on a busy 2-core machine, which is what a
# test suite needs; a benchmark passes quick_jit=False to measure the fully compiled server.
QUICK_JIT_FLAGS = ["-XX:TieredStopAtLevel=1"]


class ClusterError(RuntimeError):
    """The test cluster could not be built, started or reached; the message says why."""


# ---------------------------------------------------------------- building


def _newest_source_mtime() -> float:
    sources = [LAUNCHER_DIR / "pom.xml", *(p for p in (LAUNCHER_DIR / "src").rglob("*") if p.is_file())]
    return max(p.stat().st_mtime for p in sources)


def _is_built() -> bool:
    return JAR.is_file() and LIB.is_dir() and any(LIB.glob("opensearch-*.jar")) \
        and JAR.stat().st_mtime >= _newest_source_mtime()


def java_command() -> str:
    """The `java` to run nodes with: $JAVA_HOME's when set, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise ClusterError("no Java found: install a JDK 17 (Debian: openjdk-17-jdk-headless) "
                           "or set JAVA_HOME")
    return found


def ensure_built() -> Path:
    """Build the launcher with Maven unless its jar is newer than every source; the jar.

    A file lock keeps two test sessions from running Maven on the same folder at once.
    """
    if _is_built():
        return JAR
    mvn = shutil.which("mvn")
    if not mvn:
        raise ClusterError("Maven (mvn) not found: install it (Debian: maven) to build "
                           f"{LAUNCHER_DIR.name}/")
    java_command()
    with open(BUILD_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _is_built():  # another session built it while we waited
                return JAR
            shutil.rmtree(LIB, ignore_errors=True)  # no jar of an older dependency set stays behind
            done = subprocess.run([mvn, "-B", "-q", "package", "-DskipTests"], cwd=LAUNCHER_DIR,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True)
            if done.returncode != 0 or not JAR.is_file():
                tail = "\n".join((done.stdout + done.stderr).splitlines()[-LOG_TAIL_LINES:])
                raise ClusterError(f"building {LAUNCHER_DIR.name}/ with Maven failed "
                                   f"(exit {done.returncode}):\n{tail}")
            JAR.touch()  # newer than the sources even if the build reused an older jar
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return JAR


# ---------------------------------------------------------------- HTTP


def http_json(url: str, method: str = "GET", body: object = None, timeout: float = 10.0) -> tuple[int, object]:
    """One request; the status and decoded JSON body (HTTP errors are answers, not exceptions)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, (json.loads(raw) if raw else None)


def _free_ports(count: int) -> list[int]:
    """`count` distinct loopback ports that were free a moment ago (held together while picked)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# ---------------------------------------------------------------- cleanup

_LIVE: set["Cluster"] = set()
_LIVE_LOCK = threading.Lock()
_HANDLERS_INSTALLED = False


def _stop_all() -> None:
    with _LIVE_LOCK:
        clusters = list(_LIVE)
    for cluster in clusters:
        cluster.stop()


def _on_signal(signum, frame):
    _stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_cleanup() -> None:
    """atexit for a normal exit, SIGTERM/SIGHUP for a killed run (SIGINT is pytest's own)."""
    global _HANDLERS_INSTALLED
    if _HANDLERS_INSTALLED:
        return
    _HANDLERS_INSTALLED = True
    atexit.register(_stop_all)
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(signum) in (signal.SIG_DFL, None):
                signal.signal(signum, _on_signal)


# ---------------------------------------------------------------- the cluster


@dataclass
class NodeProcess:
    """One node: its ports and folders stay fixed for the cluster's life, its process comes and goes."""
    name: str
    http_port: int
    transport_port: int
    home: Path
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def reap(self) -> None:
        """Wait for the process to end (SIGKILL after the grace) and close our end of its stdin."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


class Cluster:
    """Several OpenSearch nodes on 127.0.0.1, each in its own JVM, data in a temporary folder."""

    def __init__(self, heap_mb: int = HEAP_MB, name: str = "news-archive-test",
                 start_timeout: float = START_TIMEOUT, settings: dict[str, object] | None = None,
                 quick_jit: bool = True, root: Path | None = None):
        """`settings` are extra node settings for every node (key -> value). With `root`, the
        nodes keep their data there across starts (a benchmark's cache; new ports each time),
        instead of in a temporary folder removed by `stop`."""
        self.heap_mb = heap_mb
        self.quick_jit = quick_jit
        self.extra_settings = dict(settings or {})
        self.name = name
        self.start_timeout = start_timeout
        self.nodes: list[NodeProcess] = []
        self.root: Path | None = None
        self.kept_root = Path(root) if root is not None else None
        self.startup_seconds: float | None = None

    # -- lifecycle

    def start(self, nodes: int = 3) -> "Cluster":
        """Start `nodes` JVMs together (each blocks until a cluster manager is elected) and wait
        until all answer and the cluster is green. Raises ClusterError with the logs' tails."""
        if self.nodes:
            raise ClusterError("this cluster was already started")
        if nodes < 1:
            raise ValueError("a cluster needs at least one node")
        ensure_built()
        began = time.monotonic()
        if self.kept_root is not None:
            self.kept_root.mkdir(parents=True, exist_ok=True)
            self.root = self.kept_root
        else:
            self.root = Path(tempfile.mkdtemp(prefix="opensearch-cluster-"))
        ports = self._ports(2 * nodes)
        for i in range(nodes):
            home = self.root / f"node-{i}"
            (home / "config").mkdir(parents=True, exist_ok=self.kept_root is not None)
            self.nodes.append(NodeProcess(name=f"node-{i}", http_port=ports[2 * i],
                                          transport_port=ports[2 * i + 1], home=home,
                                          log_path=self.root / f"node-{i}.log"))
        with _LIVE_LOCK:
            _LIVE.add(self)
        _install_cleanup()
        try:
            for i in range(nodes):
                self._spawn(i)
            self._await_http(range(nodes), began + self.start_timeout)
            self.wait_for("green", timeout=max(10.0, began + self.start_timeout - time.monotonic()))
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """Stop every JVM this cluster started (SIGTERM, then SIGKILL after a grace) and remove
        its folder (unless given as `root`). Safe to call twice."""
        live = [n for n in self.nodes if n.running]
        for node in live:
            node.process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for node in live:
            try:
                node.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                node.process.kill()
                node.process.wait()
        for node in self.nodes:
            node.reap()
        with _LIVE_LOCK:
            _LIVE.discard(self)
        if self.root is not None and self.kept_root is None:
            shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> "Cluster":
        if not self.nodes:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- faults

    def kill(self, i: int) -> None:
        """SIGKILL node i's JVM, as a crashed machine would go: no shutdown hook, no goodbye."""
        node = self.nodes[i]
        if node.running:
            node.process.kill()
        node.reap()

    def restart(self, i: int, timeout: float | None = None) -> None:
        """Start node i again on its own data folder and ports (stopping it first if it runs),
        and wait until the cluster counts every running node."""
        node = self.nodes[i]
        if node.running:
            node.process.terminate()
        node.reap()
        deadline = time.monotonic() + (timeout or self.start_timeout)
        self._spawn(i)
        self._await_http([i], deadline)
        self.wait_for("yellow", timeout=max(5.0, deadline - time.monotonic()))

    def heal(self, timeout: float | None = None) -> None:
        """Restart every node that is down and wait for green: a test that killed a node
        leaves the shared cluster whole for the next one."""
        for i, node in enumerate(self.nodes):
            if not node.running:
                self.restart(i, timeout=timeout)
        self.wait_for("green", timeout=timeout or self.start_timeout)

    # -- looking at it

    @property
    def urls(self) -> list[str]:
        """Every node's HTTP address, running or not (a client is given them all)."""
        return [node.url for node in self.nodes]

    @property
    def pids(self) -> list[int]:
        """The process ids of the JVMs started so far, including any since killed."""
        return [node.process.pid for node in self.nodes if node.process is not None]

    def running(self) -> list[int]:
        """The indexes of the nodes whose JVM is alive."""
        return [i for i, node in enumerate(self.nodes) if node.running]

    def health(self, timeout: float = 10.0) -> dict:
        """`_cluster/health` from the first running node that answers."""
        errors = []
        for i in self.running():
            try:
                status, body = http_json(f"{self.nodes[i].url}/_cluster/health", timeout=timeout)
            except OSError as error:
                errors.append(f"{self.nodes[i].name}: {error}")
                continue
            if status == 200:
                return body
            errors.append(f"{self.nodes[i].name}: HTTP {status} {body}")
        raise ClusterError("no node answered _cluster/health: " + "; ".join(errors or ["none running"]))

    def wait_for(self, status: str = "green", timeout: float = 60.0, nodes: int | None = None,
                 index: str | None = None) -> dict:
        """Wait until the cluster is at least `status` and counts exactly `nodes` nodes (by
        default the nodes whose JVM runs, so right after a kill this waits for the cluster
        to notice); the health answer. Raises ClusterError on timeout.

        With `index`, the status is that index's: the cluster is shared by the session, and
        an index another test made without replicas turns the whole cluster red when its
        node is the one killed, though the test's own index is whole."""
        if status not in STATUS_RANK:
            raise ValueError(f"status must be one of {sorted(STATUS_RANK)}, not {status!r}")
        deadline = time.monotonic() + timeout
        last: object = None
        while True:
            expected = len(self.running()) if nodes is None else nodes
            for i in self.running():
                remaining = deadline - time.monotonic()
                query = (f"wait_for_status={status}&wait_for_nodes={expected}"
                         f"&timeout={max(1, min(10, int(remaining)))}s")
                try:
                    code, body = http_json(f"{self.nodes[i].url}/_cluster/health/{index or ''}?{query}",
                                           timeout=15)
                except OSError as error:
                    last = f"{self.nodes[i].name}: {error}"
                    continue
                last = body
                if code == 200 and isinstance(body, dict) and not body.get("timed_out") \
                        and STATUS_RANK.get(body.get("status"), -1) >= STATUS_RANK[status] \
                        and body.get("number_of_nodes") == expected:
                    return body
                break  # the node answered: its cluster is not there yet, ask again
            self._check_alive()
            if time.monotonic() >= deadline:
                raise ClusterError(f"{'index ' + index if index else 'cluster'} not {status} with "
                                   f"{expected} nodes after {timeout:.0f}s; "
                                   f"last answer: {last}")
            time.sleep(0.5)

    # -- internals

    def _ports(self, count: int) -> list[int]:
        """Free ports; a kept cluster takes the ports of its last start again when they are free,
        so that its nodes find each other where their saved cluster state says they are."""
        saved = self.kept_root / "ports.json" if self.kept_root is not None else None
        if saved is not None and saved.exists():
            ports = json.loads(saved.read_text())
            if len(ports) == count and all(_port_free(p) for p in ports):
                return ports
        ports = _free_ports(count)
        if saved is not None:
            saved.write_text(json.dumps(ports))
        return ports

    def _command(self, node: NodeProcess) -> list[str]:
        seeds = ",".join(f"127.0.0.1:{n.transport_port}" for n in self.nodes)
        managers = ",".join(n.name for n in self.nodes)
        settings = {
            "cluster.name": self.name,
            "node.name": node.name,
            "path.home": node.home,
            "path.data": node.home / "data",
            "path.logs": node.home / "logs",
            "network.host": "127.0.0.1",
            "http.port": node.http_port,
            "transport.port": node.transport_port,
            "discovery.seed_hosts": seeds,
            "cluster.initial_cluster_manager_nodes": managers,
            # a test machine's disk may be fuller than the default watermarks allow
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            **self.extra_settings,
        }
        return [java_command(), f"-Xms{self.heap_mb}m", f"-Xmx{self.heap_mb}m", *JVM_FLAGS,
                *(QUICK_JIT_FLAGS if self.quick_jit else []),
                "-cp", f"{JAR}{os.pathsep}{LIB}{os.sep}*", MAIN_CLASS, "--exit-on-stdin-eof",
                *(f"{key}={value}" for key, value in settings.items())]

    def _spawn(self, i: int) -> None:
        node = self.nodes[i]
        with open(node.log_path, "ab") as log:
            log.write(f"--- {time.strftime('%H:%M:%S')} starting {node.name}\n".encode())
            log.flush()
            node.process = subprocess.Popen(self._command(node), stdin=subprocess.PIPE, stdout=log,
                                            stderr=subprocess.STDOUT, cwd=node.home,
                                            start_new_session=True)

    def _await_http(self, indexes, deadline: float) -> None:
        waiting = set(indexes)
        while waiting:
            for i in sorted(waiting):
                node = self.nodes[i]
                if not node.running:
                    raise ClusterError(f"{node.name} exited with code {node.process.returncode} "
                                       f"while starting; its log ends:\n{node.log_tail()}")
                try:
                    status, _ = http_json(node.url, timeout=2)
                except OSError:
                    continue
                if status == 200:
                    waiting.discard(i)
            if waiting and time.monotonic() >= deadline:
                tails = "\n".join(f"--- {self.nodes[i].name}:\n{self.nodes[i].log_tail()}"
                                  for i in sorted(waiting))
                raise ClusterError(f"{len(waiting)} node(s) did not answer HTTP within "
                                   f"{self.start_timeout:.0f}s:\n{tails}")
            if waiting:
                time.sleep(0.5)

    def _check_alive(self) -> None:
        """A node that died on its own (not killed by a test) is an error worth its log."""
        for node in self.nodes:
            if node.process is not None and node.process.poll() not in (None, -signal.SIGKILL,
                                                                         -signal.SIGTERM, 0, 143):
                raise ClusterError(f"{node.name} exited with code {node.process.returncode}; "
                                   f"its log ends:\n{node.log_tail()}")


def main(argv: list[str] | None = None) -> int:
    """Start a cluster, print its URLs, and keep it until Ctrl-C."""
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--heap-mb", type=int, default=HEAP_MB)
    parser.add_argument("--build-only", action="store_true", help="build the launcher and exit")
    args = parser.parse_args(argv)
    try:
        if args.build_only:
            print(ensure_built())
            return 0
        cluster = Cluster(heap_mb=args.heap_mb).start(nodes=args.nodes)
    except ClusterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    with cluster:
        print(f"{args.nodes} nodes green in {cluster.startup_seconds:.1f}s; logs in {cluster.root}")
        print("urls: " + ",".join(cluster.urls))
        try:
            while cluster.running():
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
