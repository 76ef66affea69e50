"""`{% frozen %}...{% endfrozen %}`: markup that depends only on the settings (static file URLs, the DSFR's style
sheets, scripts, favicons, skip links, footer) and on the request's CSP nonce, rendered once per process.

Each `{% static %}` costs a manifest look-up and a URL join, each DSFR tag a template include: about 1 ms of
CPU on every page (bench.search). The fragment is rendered the first time with a placeholder for
`csp_nonce`, kept, and the request's nonce (escaped, as `{{ csp_nonce }}` prints it) put in its place on
each page. Nothing else of the context may change what it prints (no user, path or form in it). The kept
markup is dropped when a setting changes (tests), and not kept at all with DEBUG (templates edited live).

`{% frozen key1 key2 %}` keeps one rendering per value of its keys (a few values each: the site header's
by the menu entry of the page and by whether someone is signed in); the fragment may then print those
keys, and nothing else of the context either.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

NONCE = "frozen-fragment-csp-nonce"
"""What `csp_nonce` prints while a fragment is rendered for keeping (escaping leaves it as it is)."""

_generation = [0]
"""Increased when a setting changes: fragments kept before are rendered again."""


MAX_KEPT = 64
"""Renderings kept per fragment with keys (more distinct keys than that: all are dropped and kept again)."""


class FrozenNode(template.Node):
    def __init__(self, nodelist, keys=()):
        self.nodelist = nodelist
        self.keys = keys
        self.kept = {}  # key values -> (generation, markup, whether it holds the nonce)

    def render(self, context):
        nonce = context.get("csp_nonce")  # a LazyNonce: false until printed once
        if settings.DEBUG or nonce is None:
            return self.nodelist.render(context)
        key = tuple(expression.resolve(context) for expression in self.keys)
        generation, text, has_nonce = self.kept.get(key) or (-1, "", False)
        if generation != _generation[0]:
            generation = _generation[0]
            with context.push(csp_nonce=NONCE):
                text = self.nodelist.render(context)
            has_nonce = NONCE in text
            if len(self.kept) >= MAX_KEPT:
                self.kept.clear()
            self.kept[key] = (generation, text, has_nonce)
        if has_nonce:
            nonce = conditional_escape(nonce)
            if not nonce:
                return self.nodelist.render(context)
            text = text.replace(NONCE, nonce)
        return mark_safe(text)  # noqa: S308 - rendered by the template engine, the nonce escaped


@register.tag
def frozen(parser, token):
    """`{% frozen [key ...] %}` markup of the settings, the CSP nonce and the keys only `{% endfrozen %}`."""
    keys = tuple(parser.compile_filter(bit) for bit in token.split_contents()[1:])
    nodelist = parser.parse(("endfrozen",))
    parser.delete_first_token()
    return FrozenNode(nodelist, keys)


def forget(**kwargs) -> None:
    """Drop every kept fragment (a setting changed)."""
    _generation[0] += 1


setting_changed.connect(forget, dispatch_uid="frozen-fragments-setting-changed")
