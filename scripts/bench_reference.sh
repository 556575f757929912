#!/usr/bin/env bash
# helpdesk's local models against the references, on the same weights, the same prompts
# and texts, the same thread count, in one run on one machine (docs/llm.md):
#   - generation: `helpdesk bench llm` vs llama.cpp through llama-cpp-python (built from
#     source, for this CPU, in a cached virtualenv);
#   - embeddings: vs sentence-transformers on CPU PyTorch from PyPI (the wheel's CUDA
#     libraries are left out: nothing here has a GPU).
# Each side runs RUNS times (the machine is noisy), in turns; the report gives min and
# median, the ratios and the acceptance lines of issue 25, then one JSON line. Runs outside
# CI.
#
#   scripts/bench_reference.sh [--release] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

profile=debug
runs=3
bench_args runs runs "$@"

BENCH="${HELPDESK_BENCH_DIR:-$HOME/.cache/helpdesk-bench}"
LLAMA_CPP_PYTHON=0.3.36
TORCH=2.15.0
SENTENCE_TRANSFORMERS=5.7.0
mkdir -p "$BENCH"

# ggml's CMake switches for the x86 extensions this CPU reports (the ones helpdesk's own
# llama.cpp build gets from scripts/lib.sh).
cpu_flags() {
    local flag
    for flag in $(ggml_cpu_flags); do
        printf ' -D%s=ON' "$flag"
    done
}

if ! [ -f "$BENCH/llama/.built-$LLAMA_CPP_PYTHON" ]; then
    log "building llama-cpp-python $LLAMA_CPP_PYTHON from source (llama.cpp for this CPU; once)"
    python3 -m venv "$BENCH/llama"
    # The CPU's vector extensions, named one by one: GGML_NATIVE would also turn on AMX,
    # which this sandbox advertises but refuses (SIGILL).
    CMAKE_ARGS="-DGGML_NATIVE=OFF $(cpu_flags) -DLLAMA_CURL=OFF" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
        "$BENCH/llama/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir --no-binary llama-cpp-python \
        "llama-cpp-python==$LLAMA_CPP_PYTHON" numpy
    touch "$BENCH/llama/.built-$LLAMA_CPP_PYTHON"
fi
if ! "$BENCH/st/bin/python" -c "import torch, sentence_transformers as s; assert s.__version__ == '$SENTENCE_TRANSFORMERS'" 2>/dev/null; then
    log "installing CPU PyTorch $TORCH and sentence-transformers $SENTENCE_TRANSFORMERS (once)"
    python3 -m venv "$BENCH/st"
    # PyPI's Linux wheel is the CUDA build: it will not import without its CUDA libraries
    # (about 3 GB of nvidia-* wheels), though a CPU run never calls them.
    "$BENCH/st/bin/pip" install --quiet --disable-pip-version-check "torch==$TORCH"
    "$BENCH/st/bin/pip" install --quiet --disable-pip-version-check --no-deps \
        "sentence-transformers==$SENTENCE_TRANSFORMERS"
    "$BENCH/st/bin/pip" install --quiet --disable-pip-version-check transformers tqdm \
        scikit-learn scipy huggingface-hub Pillow
fi

bin="$(helpdesk_binary "$profile")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The weights the references read: the same cached files helpdesk verified.
"$bin" models fetch >"$work/models.txt"
minilm="$(awk '/MiniLM/ { print $NF }' "$work/models.txt")"
[ -d "$minilm" ] || die "no MiniLM folder in: $(cat "$work/models.txt")"

# The three sides take turns, one run each per round: a slow spell of a shared machine
# (minutes long, seen here) then lands on all of them alike instead of on one side's block
# of runs. Each run is a fresh process on every side.
for n in $(seq 1 "$runs"); do
    log "round $n of $runs: helpdesk bench llm ($profile), llama.cpp, sentence-transformers"
    "$bin" bench llm | tail -n 1 >>"$work/helpdesk.jsonl"
    "$BENCH/llama/bin/python" scripts/bench_reference.py llama "$work/helpdesk.jsonl" 1 >>"$work/llama.jsonl"
    "$BENCH/st/bin/python" scripts/bench_reference.py st "$work/helpdesk.jsonl" 1 "$minilm" >>"$work/st.jsonl"
done
python3 scripts/bench_reference.py report "$work/helpdesk.jsonl" "$work/llama.jsonl" "$work/st.jsonl"
