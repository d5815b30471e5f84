"""Publication-day benchmark (``bench/run.py student_home``): the student home of a
logged-in demo student, against a bare Django page (one query, a small template),
both served by the same gunicorn (2 sync workers, production settings with DEBUG off,
``bench/settings.py``, on PostgreSQL) and loaded by the same load generator on
loopback, in the same run. The load generator is wrk (Debian's ``wrk`` package) when
installed, else a Python one (threads, ``http.client`` keep-alive).

Prints the requests per second of each page and the ratio (target: at least 0.3),
plus the home's first visit after a change (every cached home forgotten before each
request), for information.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_HTTP_CONNECTIONS", "4"))
ROUNDS = 2  # bare, home, bare, home…: the best of each, so that drift hits both
DEMO_STUDENT = "aurelien.simon@etu.univ-exemple.fr"
HOME = "/etudiant/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_gunicorn(port: int) -> subprocess.Popen:
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15",
        "DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "pixoffice.wsgi:application", "-c", "gunicorn.conf.py",
         "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return process
        except OSError:
            if process.poll() is not None:
                sys.exit("bench: gunicorn did not start")
            time.sleep(0.1)
    process.terminate()
    sys.exit("bench: gunicorn did not answer")


def _request(port, method, path, *, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data.decode(errors="replace")


def _cookies(response, jar: dict) -> dict:
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def _log_in(port: int) -> str:
    """Log the demo student in through the login page: the session cookie header."""
    from pixoffice.portal.management.commands.load_demo import DEMO_PASSWORD

    response, html = _request(port, "GET", "/comptes/login/")
    jar = _cookies(response, {})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    body = urlencode(
        {"csrfmiddlewaretoken": token, "login": DEMO_STUDENT, "password": DEMO_PASSWORD}
    )
    response, _ = _request(
        port, "POST", "/comptes/login/", body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())},
    )  # fmt: skip
    _cookies(response, jar)
    if response.status != 302 or "sessionid" not in jar:
        sys.exit(f"bench: the demo student could not log in ({response.status})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _wrk(port: int, path: str, cookie: str) -> float:
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "-H", f"Cookie: {cookie}",
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"bench: errors while loading {path}:\n{out}")
    return float(re.search(r"Requests/sec:\s*([\d.]+)", out)[1])


def _python_load(port: int, path: str, cookie: str) -> float:
    """CONNECTIONS threads, each on one keep-alive connection (reopened when gunicorn's
    sync workers close it), for SECONDS."""
    done, errors = [0] * CONNECTIONS, []
    stop = time.perf_counter() + SECONDS

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < stop:
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)
                    return
                done[i] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit(f"bench: {path} answered {errors[0]}")
    return sum(done) / (time.perf_counter() - start)


def student_home_bench():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    port = _free_port()
    server = _start_gunicorn(port)
    try:
        cookie = _log_in(port)
        response, html = _request(port, "GET", HOME, headers={"Cookie": cookie})
        if response.status != 200 or "Bonjour Aurélien" not in html or "/20" not in html:
            sys.exit(
                f"bench: the demo student's home did not answer as expected ({response.status})"
            )
        load, tool = (_wrk, "wrk") if shutil.which("wrk") else (_python_load, "Python threads")
        for _ in range(20):  # both workers: connections open, templates compiled
            for path in ("/bench/bare/", HOME, "/bench/student-home-cold/"):
                _request(port, "GET", path, headers={"Cookie": cookie})
        bare, home = [], []
        for _ in range(ROUNDS):
            bare.append(load(port, "/bench/bare/", cookie))
            home.append(load(port, HOME, cookie))
        cold = load(port, "/bench/student-home-cold/", cookie)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    bare_rps, home_rps = max(bare), max(home)
    print(
        f"student home (publication day), gunicorn 2 sync workers, production settings "
        f"(DEBUG off), PostgreSQL, Redis cache; load generator {tool}, {CONNECTIONS} "
        f"connections, {SECONDS} s per measure, best of {ROUNDS}"
    )
    print(f"  bare Django page (1 query, small template)  : {bare_rps:8.0f} req/s  (1.0x)")
    print(
        f"  student home, demo student logged in         : {home_rps:8.0f} req/s  "
        f"({home_rps / bare_rps:.2f}x bare, target >= 0.3)"
    )
    print(
        f"  student home, first visit after a change     : {cold:8.0f} req/s  "
        f"({cold / bare_rps:.2f}x bare)"
    )
