#!/usr/bin/env python3
"""Summarises bench/train-bench results: per config and thread count, the median over repetitions of each run's
median (and the best run) for Java and PyTorch, their ratios, and achieved GFLOP/s against the core peak.

Peak = fp32 FLOP per cycle per core x clock x threads. FLOP per cycle: 64 with full-width AVX-512 (two 512-bit FMA
pipes: Intel server cores, AMD Zen 5), else 32 (AVX2 + FMA, or AVX-512 split into 256-bit halves as on Zen 4);
FLOP_PER_CYCLE overrides. The clock is CPU_GHZ, else the highest "cpu MHz" of /proc/cpuinfo, which on a virtual
machine is often the base clock, not the boost clock the cores run at, so the percentages are upper bounds.
GFLOP/s uses the PyTorch script's nominal FLOP count for both engines (the Java engine skips the masked half of
the head and the upper triangle of attention, so its real FLOP rate is lower than the nominal one).
"""
import json
import os
import statistics
import sys


def ghz():
    if os.environ.get("CPU_GHZ"):
        return float(os.environ["CPU_GHZ"])
    try:
        with open("/proc/cpuinfo") as f:
            mhz = [float(l.split(":")[1]) for l in f if l.lower().startswith("cpu mhz")]
        return max(mhz) / 1000 if mhz else 3.0
    except OSError:
        return 3.0


def flop_per_cycle():
    if os.environ.get("FLOP_PER_CYCLE"):
        return float(os.environ["FLOP_PER_CYCLE"])
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
    except OSError:
        return 32
    flags = next((l.split(":")[1].split() for l in info.splitlines() if l.startswith("flags")), [])
    family = next((int(l.split(":")[1]) for l in info.splitlines() if l.startswith("cpu family")), 0)
    amd = "AuthenticAMD" in info
    return 64 if "avx512f" in flags and (not amd or family >= 26) else 32


def main(path):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    clock = ghz()
    fpc = flop_per_cycle()
    keys = sorted({(r["config"], r["threads"]) for r in rows}, key=lambda k: (k[0] != "nano", k[0], k[1]))
    print(f"clock {clock:.2f} GHz x {fpc:.0f} FLOP/cycle: peak {fpc * clock:.0f} GFLOP/s per core")
    kernels = sorted({r.get("kernel", "portable") for r in rows if r.get("engine") == "java"})
    print(f"java matrix kernel: {', '.join(kernels)}"
          + ("" if kernels == ["vector"] else " (JAVA_OPTS without --add-modules jdk.incubator.vector)"))
    print(f"{'config':6} {'thr':>3} | {'java tok/s':>10} {'torch tok/s':>11} {'ratio med':>9} {'ratio best':>10} | "
          f"{'java GF/s':>9} {'%peak':>6} {'torch GF/s':>10} | {'java gen':>9} {'torch gen':>9} {'gen ratio':>9}")
    for cfg, th in keys:
        j = [r for r in rows if r["config"] == cfg and r["threads"] == th and r.get("engine") == "java"]
        t = [r for r in rows if r["config"] == cfg and r["threads"] == th and r.get("engine") == "pytorch"]
        if not j:
            continue
        jt = statistics.median(r["train_tok_s"] for r in j)
        jb = max(r["train_tok_s_best"] for r in j)
        jg = statistics.median(r["gflops"] for r in j)
        jgen = statistics.median(r["gen_tok_s_kv"] for r in j)
        peak = fpc * clock * th
        line = f"{cfg:6} {th:>3} | {jt:>10.0f} "
        if t:
            tt = statistics.median(r["train_tok_s"] for r in t)
            tb = max(r["train_tok_s_best"] for r in t)
            tg = statistics.median(r["gflops"] for r in t)
            tgen = statistics.median(r["gen_tok_s_kv"] for r in t)
            line += (f"{tt:>11.0f} {jt / tt:>9.2f} {jb / tb:>10.2f} | {jg:>9.1f} {100 * jg / peak:>5.1f}% {tg:>10.1f} | "
                     f"{jgen:>9.0f} {tgen:>9.0f} {jgen / tgen:>9.2f}")
        else:
            line += f"{'-':>11} {'-':>9} {'-':>10} | {jg:>9.1f} {100 * jg / peak:>5.1f}% {'-':>10} | {jgen:>9.0f} {'-':>9} {'-':>9}"
        print(line)
    print()
    print("CPU time of the Java calling thread per step (robust on a loaded machine; with 2 threads each thread")
    print("trains half the rows, so this approximates the step time of an idle machine):")
    for cfg, th in keys:
        j = [r for r in rows if r["config"] == cfg and r["threads"] == th and r.get("engine") == "java"
             and "main_thread_cpu_ms_step_median" in r]
        if not j:
            continue
        ms = statistics.median(r["main_thread_cpu_ms_step_median"] for r in j)
        tok = j[0]["batch"] * j[0]["ctx"]
        gf = j[0]["flops_step"] / (ms / 1e3) / 1e9
        print(f"{cfg:6} {th:>3} | {ms:8.1f} ms/step  ~{tok / (ms / 1e3):8.0f} tok/s  ~{gf:5.1f} GFLOP/s "
              f"({100 * gf / (fpc * clock * th):4.1f}% of {th}-core peak)")
    print()
    print("Java warm-up: time of the untimed first steps (JIT compiling) against the same steps at steady speed:")
    for cfg, th in keys:
        j = [r for r in rows if r["config"] == cfg and r["threads"] == th and r.get("engine") == "java" and "warmup_s" in r]
        if j:
            w = statistics.median(r["warmup_s"] for r in j)
            ws = statistics.median(r["warmup_steady_s"] for r in j)
            print(f"{cfg:6} {th:>3} | {j[0]['warmup']} steps in {w:5.2f} s, {ws:5.2f} s at steady speed: {w - ws:+5.2f} s")
    kv = all(r.get("kv_match", True) for r in rows)
    print("KV-cache generation matches full recomputation in every run" if kv else "WARNING: a KV-cache mismatch")


if __name__ == "__main__":
    main(sys.argv[1])
