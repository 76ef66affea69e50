"""`{% frozen %}...{% endfrozen %}`: markup that depends only on the settings (static file URLs, the DSFR's style
sheets, scripts, favicons, skip links, footer) and on the request's CSP nonce, rendered once per process.

Each `{% static %}` costs a manifest look-up and a URL join, each DSFR tag a template include: about 1 ms of
CPU on every page (bench.search). The fragment is rendered the first time with a placeholder for
`csp_nonce`, kept, and the request's nonce (escaped, as `{{ csp_nonce }}` prints it) put in its place on
each page. Nothing else of the context may change what it prints (no user, path or form in it). The kept
markup is dropped when a setting changes (tests), and not kept at all with DEBUG (templates edited live).
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


class FrozenNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.kept = (-1, "", False)  # (generation, markup, whether it holds the nonce)

    def render(self, context):
        nonce = context.get("csp_nonce")  # a LazyNonce: false until printed once
        if settings.DEBUG or nonce is None:
            return self.nodelist.render(context)
        generation, text, has_nonce = self.kept
        if generation != _generation[0]:
            generation = _generation[0]
            with context.push(csp_nonce=NONCE):
                text = self.nodelist.render(context)
            has_nonce = NONCE in text
            self.kept = (generation, text, has_nonce)
        if has_nonce:
            nonce = conditional_escape(nonce)
            if not nonce:
                return self.nodelist.render(context)
            text = text.replace(NONCE, nonce)
        return mark_safe(text)  # noqa: S308 - rendered by the template engine, the nonce escaped


@register.tag
def frozen(parser, token):
    """`{% frozen %}` markup of the settings and the CSP nonce only `{% endfrozen %}`."""
    nodelist = parser.parse(("endfrozen",))
    parser.delete_first_token()
    return FrozenNode(nodelist)


def forget(**kwargs) -> None:
    """Drop every kept fragment (a setting changed)."""
    _generation[0] += 1


setting_changed.connect(forget, dispatch_uid="frozen-fragments-setting-changed")
