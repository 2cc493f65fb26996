#!/usr/bin/env python3
"""The client of scripts/serve-load-test.sh (standard library only).

  upload  BASE WORK CONCURRENCY           400 principals' packages through POST /api/v1/schools/{code}/packages
  check   DATA WORK                       every school's submission exactly once, its package intact
  inflight BASE WORK CONCURRENCY PID N    学校用户 uploads (roster + applications); SIGKILL PID after N answers
  recover BASE DATA WORK TIMEOUT          every acknowledged upload is there and intact; the queue finishes its jobs

WORK holds schools.tsv (code, token, package path) and, for inflight, uploads.tsv (code, token, roster, applications);
the results are written there as JSON for the next step.
"""
import hashlib
import json
import os
import signal
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def multipart(fields, files):
    boundary = "----zizhuLoad" + uuid.uuid4().hex
    body = bytearray()
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for field, path in files:
        name = os.path.basename(path)
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                 f'Content-Type: application/octet-stream\r\n\r\n').encode()
        with open(path, "rb") as handle:
            body += handle.read()
        body += b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return bytes(body), f"multipart/form-data; boundary={boundary}"


def post(url, token, fields, files, timeout=120):
    body, content_type = multipart(fields, files)
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}"), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), time.monotonic() - started


def get(url, token, timeout=30):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def rows(path):
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if line.strip()]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def upload(base, work, concurrency):
    schools = rows(f"{work}/schools.tsv")

    def one(row):
        code, token, package = row
        try:
            status, body, seconds = post(f"{base}/api/v1/schools/{code}/packages", token, {}, [("package", package)])
        except Exception as error:  # a lost answer is a result, not a crash of the client
            return {"code": code, "status": 0, "error": str(error), "seconds": 0.0}
        return {"code": code, "status": status, "seconds": seconds, "sha256": sha256(package),
                "submission": (body.get("submission") or {}).get("id"), "error": body.get("error")}

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, schools))
    elapsed = time.monotonic() - started
    latencies = [r["seconds"] * 1000 for r in results if r["status"] == 201]
    failed = [r for r in results if r["status"] != 201]
    with open(f"{work}/upload-results.json", "w") as handle:
        json.dump(results, handle)
    print(f"uploads: {len(results)} packages in {elapsed:.1f} s with {concurrency} at a time "
          f"({len(results) / elapsed:.1f}/s); 201: {len(latencies)}, other: {len(failed)}")
    if latencies:
        print(f"latency: p50 {percentile(latencies, 0.50):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms, "
              f"max {max(latencies):.0f} ms")
    for r in failed[:5]:
        print(f"  refused {r['code']}: {r['status']} {r.get('error')}")
    ok = not failed and elapsed <= 60
    if elapsed > 60:
        print("FAIL: the uploads took more than one minute")
    return 0 if ok else 1


def check(data, work):
    results = {r["code"]: r for r in json.load(open(f"{work}/upload-results.json"))}
    db = sqlite3.connect(f"file:{data}/serve.sqlite?mode=ro", uri=True)
    counts = dict(db.execute("SELECT school, COUNT(*) FROM submissions GROUP BY school"))
    stored = {school: sha for school, sha in db.execute("SELECT school, package_sha256 FROM submissions")}
    lost = [code for code in results if counts.get(code, 0) == 0]
    duplicated = [code for code, n in counts.items() if n > 1]
    unexpected = [code for code in counts if code not in results]
    wrong = [code for code, r in results.items() if code in stored and stored[code] != r.get("sha256")]
    damaged = [code for code, sha in stored.items() if not os.path.exists(blob(data, sha)) or sha256(blob(data, sha)) != sha]
    print(f"submissions: {sum(counts.values())} for {len(counts)} schools; lost {len(lost)}, duplicated {len(duplicated)}, "
          f"unexpected {len(unexpected)}, other content {len(wrong)}, damaged blobs {len(damaged)}")
    for name, codes in (("lost", lost), ("duplicated", duplicated), ("other content", wrong), ("damaged", damaged)):
        if codes:
            print(f"  {name}: {' '.join(sorted(codes)[:10])}")
    return 0 if not (lost or duplicated or unexpected or wrong or damaged) and len(counts) == len(results) else 1


def blob(data, sha):
    return f"{data}/blobs/{sha[:2]}/{sha}"


def inflight(base, work, concurrency, pid, kill_after):
    uploads = rows(f"{work}/uploads.tsv")
    answered = []
    lock = threading.Lock()
    killed = threading.Event()

    def one(row):
        code, token, roster, applications = row
        if killed.is_set():
            return
        try:
            status, body, _ = post(f"{base}/api/v1/schools/{code}/uploads", token, {"term": "2023-fall"},
                                   [("roster", roster), ("applications", applications)], timeout=30)
        except Exception:
            return  # no answer: not acknowledged
        if status != 202:
            return
        with lock:
            answered.append({"code": code, "token": token, "job": body["id"],
                             "roster": sha256(roster), "applications": sha256(applications)})
            if len(answered) >= kill_after and not killed.is_set():
                killed.set()
                os.kill(pid, signal.SIGKILL)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, uploads))
    with open(f"{work}/acknowledged.json", "w") as handle:
        json.dump(answered, handle)
    print(f"kill -9: {len(answered)} uploads acknowledged (202) of {len(uploads)} sent; "
          f"SIGKILL {'sent to ' + str(pid) + ' with uploads in flight' if killed.is_set() else 'NOT sent'}")
    return 0 if killed.is_set() else 1


def recover(base, data, work, timeout):
    acknowledged = json.load(open(f"{work}/acknowledged.json"))
    db = sqlite3.connect(f"file:{data}/serve.sqlite?mode=ro", uri=True)
    missing, damaged = [], []
    for item in acknowledged:
        row = db.execute("""SELECT r.sha256, a.sha256 FROM jobs j JOIN uploads r ON r.id = j.roster_upload
                            JOIN uploads a ON a.id = j.applications_upload WHERE j.id = ? AND j.school = ?""",
                         (item["job"], item["code"])).fetchone()
        if row is None:
            missing.append(item["code"])
            continue
        if list(row) != [item["roster"], item["applications"]] or \
                any(not os.path.exists(blob(data, sha)) or sha256(blob(data, sha)) != sha for sha in row):
            damaged.append(item["code"])
    print(f"after the restart: {len(acknowledged)} acknowledged uploads, missing {len(missing)}, "
          f"damaged or other content {len(damaged)}")
    deadline = time.monotonic() + timeout
    states = {}
    while time.monotonic() < deadline:
        states = {item["job"]: get(f"{base}/api/v1/jobs/{item['job']}", item["token"])["state"] for item in acknowledged}
        if all(state in ("finished", "failed") for state in states.values()):
            break
        time.sleep(1)
    done = sum(1 for state in states.values() if state == "finished")
    failed = sum(1 for state in states.values() if state == "failed")
    pending = len(states) - done - failed
    print(f"the queue resumed: {done} of their jobs finished, {failed} failed, {pending} still pending")
    return 0 if not missing and not damaged and pending == 0 and failed == 0 else 1


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "upload":
        sys.exit(upload(arguments[0], arguments[1], int(arguments[2])))
    if command == "check":
        sys.exit(check(arguments[0], arguments[1]))
    if command == "inflight":
        sys.exit(inflight(arguments[0], arguments[1], int(arguments[2]), int(arguments[3]), int(arguments[4])))
    if command == "recover":
        sys.exit(recover(arguments[0], arguments[1], arguments[2], int(arguments[3])))
    sys.exit(f"unknown command {command}")
