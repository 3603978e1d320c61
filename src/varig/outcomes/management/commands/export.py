from pathlib import Path

from django.core.management.base import BaseCommand

from varig.outcomes.interchange import export_path


class Command(BaseCommand):
    help = (
        "Export job customers, companies, placements and advisors in interchange format v1: a "
        "folder of CSV files, or one .xlsx workbook when PATH ends in .xlsx. Sorted by ref, "
        "ISO dates, booleans as ja/nej, ',' as delimiter, UTF-8 without BOM, so that export → "
        "import → export gives identical files."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A folder (created if missing) or a .xlsx file.")

    def handle(self, *args, path, **options):
        counts = export_path(Path(path))
        for stem, count in counts.items():
            self.stdout.write(f"{stem}: {count}")
