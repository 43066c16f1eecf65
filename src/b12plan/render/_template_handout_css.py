"""The handout template `handout.css`, compiled by Jinja2 (its module loader's format).

Generated from `render/templates/handout.css`
by `python tools/generate.py`: do not edit.
"""

# Compiled by this Jinja2; any other compiles the source instead.
jinja2_version = "3.1.6"
from jinja2.runtime import (
    LoopContext,
    Macro,
    Markup,
    Namespace,
    TemplateNotFound,
    TemplateReference,
    TemplateRuntimeError,
    Undefined,
    escape,
    identity,
    internalcode,
    markup_join,
    missing,
    str_join,
)

name = "handout.css"


def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0:
        yield None
    pass
    yield '@page { size: A4; margin: 14mm 14mm 16mm; }\n* { box-sizing: border-box; }\nhtml { color: #1a1a1a; background: #fff; }\nbody {\n  margin: 0;\n  font: 11pt/1.4 "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;\n}\nmain { max-width: 182mm; margin: 0 auto; }\nh1 { font-size: 19pt; margin: 0 0 2pt; color: #123f6d; }\nh2 { font-size: 13pt; margin: 12pt 0 4pt; color: #123f6d; break-after: avoid; }\np, li { overflow-wrap: anywhere; }\ntd { overflow-wrap: break-word; }\np { margin: 0 0 5pt; }\nul { margin: 0 0 5pt; padding-left: 16pt; }\n.small { font-size: 9pt; color: #333; }\n.made { margin-bottom: 6pt; }\n.fill { display: flex; flex-wrap: wrap; gap: 4pt 18pt; margin: 0; }\n.fill > span { flex: 1 1 60mm; display: flex; align-items: flex-end; white-space: nowrap; }\n.fill .line { flex: 1; border-bottom: 1px solid #555; margin-left: 4pt; min-height: 1.2em; }\nheader { border-bottom: 2pt solid #123f6d; padding-bottom: 6pt; }\n.phase { border: 1.5pt solid #123f6d; border-radius: 4pt; padding: 2pt 10pt 4pt; margin-top: 10pt; }\n.phase h2 { margin-top: 6pt; }\n.now { font-weight: normal; }\n.blocked { border-color: #a4161a; }\n.blocked h2 { color: #a4161a; }\ntable { width: 100%; border-collapse: collapse; margin: 2pt 0 5pt; }\nthead { display: table-header-group; }\nth { text-align: left; font-size: 9.5pt; border-bottom: 1.5pt solid #123f6d; padding: 2pt 5pt; }\ntd { border-bottom: 0.75pt solid #bbb; padding: 2.5pt 5pt; vertical-align: top; }\ntr { break-inside: avoid; }\ntd.date { font-weight: 600; }\n.doses td:nth-child(-n+4) { white-space: nowrap; }\ntr.overdue td, tr.due td { font-weight: 600; }\ntr.overdue td:first-child, tr.due td:first-child { border-left: 3pt solid #a4161a; }\ntr.done td, tr.passed td { color: #555; }\n.notes li { margin-bottom: 3pt; }\n.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0 9mm; break-inside: avoid; }\nfooter { border-top: 1pt solid #999; margin-top: 10pt; padding-top: 2pt; }\nfooter h2 { font-size: 11pt; margin-top: 4pt; }\n@media screen {\n  html { background: #e9edf2; }\n  main { background: #fff; padding: 12mm 14mm; margin: 6mm auto; box-shadow: 0 1px 4px #0003; }\n  .phase { background: #f1f6fb; }\n  .blocked { background: #fcf1f1; }\n}\n@media screen and (max-width: 600px) {\n  main { padding: 5mm 4mm; margin: 0; }\n  .pair { grid-template-columns: 1fr; }\n  .doses td:nth-child(-n+4) { white-space: normal; }\n}\n@media print {\n  main { max-width: none; }\n}\n'


blocks = {}
debug_info = ""
