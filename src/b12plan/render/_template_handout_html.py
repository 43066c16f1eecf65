"""The handout template `handout.html.j2`, compiled by Jinja2 (its module loader's format).

Generated from `render/templates/handout.html.j2`
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

name = "handout.html.j2"


def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0:
        yield None
    l_0_page = resolve("page")
    pass
    yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">\n<meta name="generator" content="'
    yield escape(
        environment.finalize(
            environment.getattr(
                (undefined(name="page") if l_0_page is missing else l_0_page), "generator"
            )
        )
    )
    yield '">\n<link rel="icon" href="data:,">\n<title>'
    yield escape(
        environment.finalize(
            environment.getattr(
                (undefined(name="page") if l_0_page is missing else l_0_page), "title"
            )
        )
    )
    yield "</title>\n<style>\n"
    template = environment.get_template("handout.css", "handout.html.j2")
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally:
        gen.close()
    yield "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>"
    yield escape(
        environment.finalize(
            environment.getattr(
                (undefined(name="page") if l_0_page is missing else l_0_page), "title"
            )
        )
    )
    yield '</h1>\n<p class="made">Made on '
    yield escape(
        environment.finalize(
            environment.getattr(
                (undefined(name="page") if l_0_page is missing else l_0_page), "as_of"
            )
        )
    )
    yield ". Keep this page and bring it to your appointments.</p>\n"
    if environment.getattr((undefined(name="page") if l_0_page is missing else l_0_page), "ref"):
        pass
        yield '<p class="made">Practice reference: '
        yield escape(
            environment.finalize(
                environment.getattr(
                    (undefined(name="page") if l_0_page is missing else l_0_page), "ref"
                )
            )
        )
        yield "</p>\n"
    yield '<p class="fill"><span>Name <span class="line"></span></span> <span>Practice phone <span class="line"></span></span></p>\n</header>\n\n'
    if environment.getattr(
        (undefined(name="page") if l_0_page is missing else l_0_page), "blocked"
    ):
        pass
        yield '<section class="phase blocked">\n<h2>No injection schedule can be given yet</h2>\n<p>Something in the information given needs your prescriber\'s decision before any injection\ncan be planned. <strong>Please talk to your prescriber or practice before you have a vitamin B12\ninjection.</strong></p>\n<p class="small">For your prescriber:</p>\n<ul class="small">\n'
        for l_1_reason in environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "reasons"
        ):
            _loop_vars = {}
            pass
            yield "<li>"
            yield escape(environment.finalize(l_1_reason))
            yield "</li>\n"
        l_1_reason = missing
        yield "</ul>\n</section>\n"
    else:
        pass
        yield '<section class="phase">\n<h2><span class="now">Now:</span> '
        yield escape(
            environment.finalize(
                environment.getattr(
                    (undefined(name="page") if l_0_page is missing else l_0_page), "phase"
                )
            )
        )
        yield "</h2>\n"
        for l_1_line in environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "phase_lines"
        ):
            _loop_vars = {}
            pass
            yield "<p>"
            yield escape(environment.finalize(l_1_line))
            yield "</p>\n"
        l_1_line = missing
        for l_1_change in environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "changes"
        ):
            _loop_vars = {}
            pass
            yield "<p><strong>"
            yield escape(environment.finalize(l_1_change))
            yield "</strong></p>\n"
        l_1_change = missing
        if environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "treatment"
        ):
            pass
            yield "<p>"
            yield escape(
                environment.finalize(
                    environment.getattr(
                        (undefined(name="page") if l_0_page is missing else l_0_page), "treatment"
                    )
                )
            )
            yield "</p>\n"
        yield "</section>\n\n<section>\n<h2>Your injection dates</h2>\n"
        if environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "given"
        ):
            pass
            yield "<p>"
            yield escape(
                environment.finalize(
                    environment.getattr(
                        (undefined(name="page") if l_0_page is missing else l_0_page), "given"
                    )
                )
            )
            yield "</p>\n"
        if environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "overdue"
        ):
            pass
            yield "<p><strong>"
            yield escape(
                environment.finalize(
                    environment.getattr(
                        (undefined(name="page") if l_0_page is missing else l_0_page), "overdue"
                    )
                )
            )
            yield "</strong></p>\n"
        if environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "doses"
        ):
            pass
            yield '<table class="doses">\n<thead>\n<tr><th scope="col">Date</th><th scope="col">Injection</th><th scope="col">Dose</th><th scope="col">Amount</th>'
            if environment.getattr(
                (undefined(name="page") if l_0_page is missing else l_0_page), "dose_notes"
            ):
                pass
                yield '<th scope="col">Note</th>'
            yield "</tr>\n</thead>\n<tbody>\n"
            l_1_loop = missing
            for l_1_row, l_1_loop in LoopContext(
                environment.getattr(
                    (undefined(name="page") if l_0_page is missing else l_0_page), "doses"
                ),
                undefined,
            ):
                _loop_vars = {}
                pass
                yield '<tr class="'
                yield escape(environment.finalize(environment.getattr(l_1_row, "kind")))
                yield '">\n<td class="date">'
                yield escape(environment.finalize(environment.getattr(l_1_row, "date")))
                yield "</td>\n<td>"
                yield escape(environment.finalize(environment.getattr(l_1_row, "what")))
                yield "</td>\n<td>"
                yield escape(environment.finalize(environment.getattr(l_1_row, "amount")))
                yield "</td>\n<td>"
                yield escape(environment.finalize(environment.getattr(l_1_row, "volume")))
                yield "</td>\n"
                if environment.getattr(
                    (undefined(name="page") if l_0_page is missing else l_0_page), "dose_notes"
                ):
                    pass
                    yield "<td>"
                    yield escape(environment.finalize(environment.getattr(l_1_row, "status")))
                    l_2_loop = missing
                    for l_2_note, l_2_loop in LoopContext(
                        environment.getattr(l_1_row, "notes"), undefined
                    ):
                        _loop_vars = {}
                        pass
                        if environment.getattr(l_1_row, "status") or (
                            not environment.getattr(l_2_loop, "first")
                        ):
                            pass
                            yield "; "
                        yield escape(environment.finalize(l_2_note))
                    l_2_loop = l_2_note = missing
                    yield "</td>\n"
                yield "</tr>\n"
            l_1_loop = l_1_row = missing
            yield "</tbody>\n</table>\n"
        elif not environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "stopped"
        ):
            pass
            yield "<p>No more injections are listed in this plan: ask your practice for your next date.</p>\n"
        if environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "horizon"
        ):
            pass
            yield '<p class="small">'
            yield escape(
                environment.finalize(
                    environment.getattr(
                        (undefined(name="page") if l_0_page is missing else l_0_page), "horizon"
                    )
                )
            )
            yield "</p>\n"
        yield "</section>\n\n"
        if environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "tests"
        ):
            pass
            yield '<section>\n<h2>Blood tests and check-ups</h2>\n<table class="tests">\n<thead>\n<tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Why</th>'
            if environment.getattr(
                (undefined(name="page") if l_0_page is missing else l_0_page), "test_notes"
            ):
                pass
                yield '<th scope="col">Note</th>'
            yield "</tr>\n</thead>\n<tbody>\n"
            for l_1_row in environment.getattr(
                (undefined(name="page") if l_0_page is missing else l_0_page), "tests"
            ):
                _loop_vars = {}
                pass
                yield '<tr class="'
                yield escape(environment.finalize(environment.getattr(l_1_row, "kind")))
                yield '">\n<td class="date">'
                yield escape(environment.finalize(environment.getattr(l_1_row, "when")))
                yield "</td>\n<td>"
                yield escape(environment.finalize(environment.getattr(l_1_row, "what")))
                yield "</td>\n<td>"
                yield escape(environment.finalize(environment.getattr(l_1_row, "why")))
                yield "</td>\n"
                if environment.getattr(
                    (undefined(name="page") if l_0_page is missing else l_0_page), "test_notes"
                ):
                    pass
                    yield "<td>"
                    yield escape(environment.finalize(environment.getattr(l_1_row, "status")))
                    yield "</td>\n"
                yield "</tr>\n"
            l_1_row = missing
            yield "</tbody>\n</table>\n</section>\n"
        yield "\n"
        if environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "notes"
        ):
            pass
            yield '<section class="notes">\n<h2>Notes for you</h2>\n<ul>\n'
            for l_1_note in environment.getattr(
                (undefined(name="page") if l_0_page is missing else l_0_page), "notes"
            ):
                _loop_vars = {}
                pass
                yield "<li>"
                yield escape(environment.finalize(l_1_note))
                yield "</li>\n"
            l_1_note = missing
            yield "</ul>\n</section>\n"
        yield '\n<div class="pair">\n'
        if not environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "stopped"
        ):
            pass
            yield "<section>\n<h2>If you miss an injection</h2>\n<p>Contact your practice to rebook it as soon as you can: do not wait for the next date on this\npage. A late injection still counts. The dates after it move on from the day you have it, so ask\nyour practice for an updated plan.</p>\n</section>\n"
        yield "<section>\n<h2>When to call your practice</h2>\n"
        if environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "stopped"
        ):
            pass
            yield "<p>Call your practice if you notice:</p>\n"
        else:
            pass
            yield "<p>Call before your next injection is due if you notice:</p>\n"
        yield "<ul>\n<li>the tiredness, weakness or shortness of breath you had before coming back;</li>\n<li>pins and needles, numbness, or problems with balance or walking;</li>\n<li>problems with memory, concentration or mood;</li>\n<li>a sore, red tongue or mouth ulcers.</li>\n</ul>\n"
        if environment.getattr(
            (undefined(name="page") if l_0_page is missing else l_0_page), "stopped"
        ):
            pass
            yield "<p>You may need injections again.</p>\n"
        else:
            pass
            yield "<p>Your injections may need to be more frequent. Also tell your practice if you become pregnant,\nor start a blood thinner or folic acid.</p>\n"
        yield "<p><strong>Get help the same day</strong> for new or worse numbness, weakness, trouble walking or\nproblems with your eyesight. <strong>Get emergency help</strong> for swelling of the face, lips\nor throat, or difficulty breathing after an injection.</p>\n</section>\n</div>\n"
    yield '\n<footer>\n<h2>About this plan</h2>\n<p>This plan was worked out by a computer program that helps your prescriber (decision support).\nIt is not a prescription: your prescriber decides your treatment, and dates can change. Check\neach date with your practice.</p>\n<p class="small">'
    yield escape(
        environment.finalize(
            environment.getattr(
                (undefined(name="page") if l_0_page is missing else l_0_page), "disclaimer"
            )
        )
    )
    yield "</p>\n"
    if not environment.getattr(
        (undefined(name="page") if l_0_page is missing else l_0_page), "blocked"
    ):
        pass
        yield '<p class="small">Based on: '
        yield escape(
            environment.finalize(
                environment.getattr(
                    (undefined(name="page") if l_0_page is missing else l_0_page), "protocol"
                )
            )
        )
        yield ". Made with "
        yield escape(
            environment.finalize(
                environment.getattr(
                    (undefined(name="page") if l_0_page is missing else l_0_page), "generator"
                )
            )
        )
        yield ".</p>\n"
    else:
        pass
        yield '<p class="small">Made with '
        yield escape(
            environment.finalize(
                environment.getattr(
                    (undefined(name="page") if l_0_page is missing else l_0_page), "generator"
                )
            )
        )
        yield ".</p>\n"
    yield "</footer>\n</main>\n</body>\n</html>\n"


blocks = {}
debug_info = "9=13&11=15&13=17&19=24&20=26&21=28&22=31&27=34&35=37&36=41&42=48&43=50&44=54&46=57&47=61&49=64&50=67&56=70&57=73&59=75&60=78&62=80&65=83&68=88&69=92&70=94&71=96&72=98&73=100&74=102&75=105&81=119&84=122&85=125&89=128&94=131&97=135&98=139&99=141&100=143&101=145&102=147&103=150&112=156&116=159&117=163&124=168&134=172&145=179&163=187&164=189&165=192&167=199"
