"""Runs a command and prints its exit status and peak resident set in MiB
(the largest of its children's, from getrusage)."""
import resource
import subprocess
import sys

status = subprocess.run(sys.argv[1:]).returncode
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(f"exit {status} peak {peak} MiB")
