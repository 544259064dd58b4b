"""The data dictionary of the published tables, generated from the schemas (README, site)."""

from __future__ import annotations

from .fields import published_schema

TABLES = (
    ("tps.csv / tps.parquet", "published/tps.schema.json"),
    ("desa, kecamatan, kabupaten, provinsi, nasional (.csv / .parquet)",
     "published/area.schema.json"),
    ("sumber.csv", "published/sources.schema.json"),
    ("validation/issues.csv", "published/issues.schema.json"),
)
EXAMPLE_PASLON = [1, 2]


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def data_dictionary_markdown() -> str:
    """Markdown tables, one per published table; paslon columns shown for paslon 1 and 2."""
    parts = []
    for title, schema_name in TABLES:
        schema = published_schema(schema_name, EXAMPLE_PASLON)
        parts.append(f"#### {title}\n")
        parts.append("| column | type | title | description |")
        parts.append("|---|---|---|---|")
        for field in schema["fields"]:
            name = field["name"]
            title, description = field.get("title", ""), field.get("description", "")
            if name == "suara_paslon_2":
                name = "suara_paslon_<n>"
                title = title.replace(" 2", " <n>")
                description = description.replace(" 2", " <n>")
            elif name.startswith("suara_paslon_"):
                continue
            parts.append(f"| `{name}` | {field.get('type', 'string')} | {_cell(title)} | "
                         f"{_cell(description)} |")
        parts.append("")
    return "\n".join(parts)
