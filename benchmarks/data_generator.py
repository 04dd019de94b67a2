"""Time and peak memory of the synthetic generator at MovieLens-1M scale.

Run: python benchmarks/data_generator.py
"""

import time
import tracemalloc

from kmr.utils.data_generator import KMRDataGenerator

CASES = [
    ("collaborative, ML-100K scale", 943, 1682, 100_000),
    ("collaborative, ML-1M scale", 6040, 3706, 1_000_000),
]


def run_case(n_users, n_items, n_interactions):
    def generate():
        return KMRDataGenerator.generate_collaborative_filtering_data(
            n_users=n_users,
            n_items=n_items,
            n_interactions=n_interactions,
            sparsity=0.0,
        )

    # Best of three, since the machine may be shared; CPU time alongside.
    seconds, cpu_seconds = float("inf"), float("inf")
    for _ in range(3):
        start, cpu_start = time.perf_counter(), time.process_time()
        arrays = generate()
        seconds = min(seconds, time.perf_counter() - start)
        cpu_seconds = min(cpu_seconds, time.process_time() - cpu_start)

    # A second run under tracemalloc, which slows NumPy down.
    tracemalloc.start()
    generate()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, cpu_seconds, peak / 2**20, len(arrays[0])


def main():
    print(
        f"{'case':<30} {'interactions':>12} {'wall s':>7} {'CPU s':>6} "
        f"{'peak MiB':>9}"
    )
    for name, n_users, n_items, n_interactions in CASES:
        seconds, cpu, peak, count = run_case(n_users, n_items, n_interactions)
        print(
            f"{name:<30} {count:>12,} {seconds:>7.2f} {cpu:>6.2f} {peak:>9.1f}"
        )


if __name__ == "__main__":
    main()
