#!/bin/sh
# Link with mold when it is installed (several times faster on 2 cores);
# fall back to the system linker so a fresh machine still builds.
if command -v mold >/dev/null 2>&1; then
    exec cc -fuse-ld=mold "$@"
fi
exec cc "$@"
