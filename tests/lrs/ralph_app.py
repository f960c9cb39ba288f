"""ralph's ASGI app with its file backend appending (run by ralph's own Python, not ours).

ralph 5.1.0's file LRS backend writes every POST with its default operation type, CREATE,
which refuses an existing file: only the first POST of statements is ever stored, the next
ones answer 500 "Statements bulk indexation failed". Appending is what the backend does for
an APPEND write, so this makes it the default before the app is loaded; everything else is
ralph's own.

python -P ralph_app.py  (uvicorn's arguments follow; -P keeps ralph.py beside it off the path)
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    sys.argv[0] = "uvicorn"
    sys.exit(uvicorn.main())
