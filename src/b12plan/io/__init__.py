"""Bytes in and out: reading files and stdin (`loading.py`), parsing JSON and TOML text
(`parsing.py`, pure), and writing every byte b12plan outputs (`output.py`: stdout, stderr, `-o`,
batch lines, signals and broken pipes)."""
