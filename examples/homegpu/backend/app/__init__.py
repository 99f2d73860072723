"""homegpu backend: share idle GPUs on home machines with friends."""
