"""`acuplan products list|add|remove`: the products a user keeps by name, so a use is
logged with `acuplan log product --product NAME`; the kind still drives the rules."""

from __future__ import annotations

import shlex

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.group import AcuGroup
from planner.cli.inputs import check_text, json_option
from planner.domain.models import to_doc
from planner.domain.vocabulary import PRODUCT_KINDS


@click.group("products", cls=AcuGroup)
def products() -> None:
    """The products you keep by name (retinoid, acid, scrub, peel)."""


def _print(profile) -> None:
    if not profile.products:
        out.write("no products kept; add one: `acuplan products add NAME --kind KIND`")
        return
    rows = [(out.one_line(p.name), p.kind, out.one_line(p.brand or "-"))
            for p in profile.products]
    for line in out.table(rows, ("name", "kind", "brand")):
        out.write(line)


@products.command("list")
@json_option
@pass_env
def products_list(env: Env, as_json: bool) -> None:
    """The products you keep."""
    profile = env.planner.profile()
    if as_json:
        out.dump_json([to_doc(p) for p in profile.products])
    else:
        _print(profile)


@products.command("add")
@click.argument("name", metavar="NAME")
@click.option("--kind", type=click.Choice(PRODUCT_KINDS), required=True,
              help="What it is, for the rules: " + ", ".join(PRODUCT_KINDS) + ".")
@click.option("--brand", default="", metavar="TEXT", help="Who makes it (optional).")
@pass_env
def products_add(env: Env, name: str, kind: str, brand: str) -> None:
    """Keep a product by NAME."""
    name, brand = check_text(name, "NAME"), check_text(brand, "--brand")
    profile = env.planner.add_product(name, kind, brand)
    kept = profile.products[-1]
    out.write(f"kept {out.one_line(kept.name)} ({kept.kind}); log a use with "
              f"`acuplan log product --product {out.one_line(shlex.quote(kept.name))}`")


@products.command("remove")
@click.argument("name", metavar="NAME")
@pass_env
def products_remove(env: Env, name: str) -> None:
    """Stop keeping a product (uses already logged keep its name)."""
    env.planner.remove_product(check_text(name, "NAME"))
    out.write(f"removed {out.one_line(name)} from your products")


__all__ = ["products"]
