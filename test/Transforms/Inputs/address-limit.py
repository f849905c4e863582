"""Runs a command under an address-space limit (ulimit -v) of argv[1] MiB:
lit's own shell has no ulimit."""
import os
import resource
import sys

limit = int(sys.argv[1]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
os.execvp(sys.argv[2], sys.argv[2:])
