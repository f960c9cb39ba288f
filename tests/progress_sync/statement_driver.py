"""A Rounds process to be killed: it records or uploads progress until it is stopped.

python -m progress_sync.statement_driver record DATABASE SERVER_URL COUNT
    a study session: COUNT progress statements, one commit each, printing each id
    once its transaction has committed
python -m progress_sync.statement_driver upload DATABASE SERVER_URL
    signs in as ana and uploads everything pending, printing the summary
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop_app.sync.outbox import Outbox
from progress_sync.devices import QUICK, VIDEO, open_device


def record(database: Path, server_url: str, count: int) -> None:
    device = open_device(server_url, database, sign_in=False)
    for step in range(count):
        with device.db.session() as session:
            statement_id = device.log.progressed(session, VIDEO, step * 5.0, step / count)
        print(statement_id, flush=True)
    device.close()


def upload(database: Path, server_url: str) -> None:
    device = open_device(server_url, database)
    print("uploading", flush=True)
    print(Outbox(device.queue, device.endpoint, backoff=QUICK).upload(), flush=True)
    device.close()


def main(argv: list[str]) -> int:
    command, database, server_url, *rest = argv
    if command == "record":
        record(Path(database), server_url, int(rest[0]))
    else:
        upload(Path(database), server_url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
