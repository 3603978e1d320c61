from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "varig.bench"
    label = "bench"
    verbose_name = "Benchmark"
