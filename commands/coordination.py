"""Coordination commands: who, pathway, gaps, actor, project, metrics, ask. Each parses its
options, calls one query (queries/) and prints the answer (commands.answers)."""
from __future__ import annotations

import click

from stakeholder_graph.commands.answers import emit_answer
from stakeholder_graph.commands.context import State
from stakeholder_graph.commands.options import (
    age_option,
    as_of_option,
    audience_option,
    freshness_option,
    language_option,
    stated_only_option,
)
from stakeholder_graph.commands.output import format_option


@click.command()
@click.option("--population", help="Who needs help: children, 'unaccompanied children', women, ...")
@click.option("--place", help="Where: a municipality, district, country or region (any script).")
@click.option("--service", metavar="TYPE", help="Only services of this type (shelter, legal_aid, hotline, ...).")
@click.option("--form", metavar="FORM", help="Only services for this form of exploitation (forced labour, ...).")
@age_option
@click.option("--active", is_flag=True, help="Leave out ended and planned services.")
@stated_only_option
@as_of_option
@freshness_option
@language_option
@format_option
@audience_option(expose=False)
@click.pass_obj
def who(state: State, population, place, service, form, age, active, stated_only, as_of, freshness, lang, fmt) -> None:
    """Who handles a case: services and providers serving a population in a place.

    Prints the few actors to contact first, then the details by actor. Coverage is
    hierarchical (a national service covers every municipality) and so are populations (a
    service for all victims answers for children, marked "children not stated"; one only for
    adults never does). Each answer says its basis (stated by its sources, or inferred by a
    rule), its status with the date last confirmed, and cites its sources. Ranked: not ended;
    stated before inferred; explicit before general eligibility; most local; confirmed before
    unconfirmed; most specific.

    \b
    Examples:
      stakeholder-graph who --population children --place Niš
      stakeholder-graph who --population women --place Belgrade --service shelter --format json
      stakeholder-graph who --population girls --age 14 --place Vranje --lang sr-Latn
    """
    from stakeholder_graph.queries.who import who_handles

    if not (population or place or service or form):
        raise click.UsageError("give at least one of --population, --place, --service, --form")
    result = who_handles(state.graph(), population, place, service, form, as_of, freshness, stated_only, age, active)
    emit_answer(fmt, "who handles", result, lang=lang)


@click.command()
@click.option("--population", required=True, help="Who: 'unaccompanied children', children, women, ...")
@click.option("--place", required=True, help="Where the person was identified.")
@age_option
@stated_only_option
@as_of_option
@freshness_option
@language_option
@format_option
@audience_option(expose=False)
@click.pass_obj
def pathway(state: State, population, place, age, stated_only, as_of, freshness, lang, fmt) -> None:
    """The referral pathway for a population in a place, step by step.

    First contact, identification, assessment and plan, emergency assistance, protection and
    support, reintegration or return, with criminal justice alongside: who is available at
    each step, whom they refer on to (a referral no source states is marked inferred), and
    where no provider is recorded in the data.

    \b
    Example:
      stakeholder-graph pathway --population "unaccompanied children" --place Subotica
    """
    from stakeholder_graph.queries.pathway import referral_pathway

    emit_answer(fmt, "pathway", referral_pathway(state.graph(), population, place, as_of, freshness, stated_only, age),
                lang=lang)


@click.command()
@click.option("--service", metavar="TYPE", help="The need: shelter, legal_aid, hotline, ...")
@click.option("--population", help="For whom: children, women, ...")
@click.option("--country", help="Only municipalities in this country (or district/region).")
@click.option("--all", "include_covered", is_flag=True, help="Also list places with several providers.")
@stated_only_option
@as_of_option
@freshness_option
@language_option
@format_option
@audience_option(expose=False)
@click.pass_obj
def gaps(state: State, service, population, country, include_covered, stated_only, as_of, freshness, lang, fmt) -> None:
    """Where the data records no provider for a need, and where it records a single one (if
    that one stops, none is left). No provider recorded is a gap in the data, not proof that
    nobody is there: each row gives the date of the newest source for the place.

    \b
    Example:
      stakeholder-graph gaps --service shelter --population children --country Serbia
    """
    from stakeholder_graph.queries.gaps import coverage_gaps

    if not (service or population):
        raise click.UsageError("give --service, --population or both")
    emit_answer(fmt, "gaps", coverage_gaps(state.graph(), service, population, country, as_of, include_covered,
                                           freshness, stated_only), lang=lang)


@click.command()
@click.argument("name")
@as_of_option
@freshness_option
@format_option
@audience_option(expose=False)
@click.pass_obj
def actor(state: State, name, as_of, freshness, fmt) -> None:
    """An actor's profile: what it offers, where and to whom, partners, memberships, projects,
    funders, referrals and assessments.

    \b
    Example:
      stakeholder-graph actor Atina
    """
    from stakeholder_graph.queries.profiles import actor_profile

    emit_answer(fmt, "actor", actor_profile(state.graph(), name, as_of, freshness))


@click.command()
@click.argument("name")
@as_of_option
@freshness_option
@format_option
@audience_option(expose=False)
@click.pass_obj
def project(state: State, name, as_of, freshness, fmt) -> None:
    """A project's profile: lead, partners and their countries, places, target groups,
    objectives, figures (achieved and targets apart), publications, dates and status.

    \b
    Example:
      stakeholder-graph project "From Harm to Safety"
    """
    from stakeholder_graph.queries.profiles import project_profile

    emit_answer(fmt, "project", project_profile(state.graph(), name, as_of, freshness))


@click.command()
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many to list.")
@format_option
@audience_option(expose=False)
@click.pass_obj
def metrics(state: State, top, fmt) -> None:
    """Network measures of the actors: degree, betweenness and eigenvector centrality,
    brokers between sectors, articulation points and bridges of the referral network,
    communities. Exact on small graphs, sampled on large ones (the output says which).

    \b
    Example:
      stakeholder-graph metrics --top 5
    """
    from stakeholder_graph.queries.metrics import network_metrics

    emit_answer(fmt, "metrics", network_metrics(state.graph(), top))


@click.command()
@click.argument("question")
@stated_only_option
@as_of_option
@freshness_option
@language_option(help="Language of the answer: en, sr-Latn or sr-Cyrl. Default: the question's own "
                 "(Serbian in Cyrillic is answered in Cyrillic).")
@format_option
@audience_option(expose=False)
@click.pass_obj
def ask(state: State, question, stated_only, as_of, freshness, lang, fmt) -> None:
    """Ask in plain English or Serbian (Latin or Cyrillic, with or without diacritics); the tool
    says how it understood you, then answers.

    Every word must be understood: a question with a word it does not know, a name that fits
    several records, or two kinds of question at once is refused (exit 1) with what it
    recognised, what it did not, the nearest known names and example questions. A year in the
    question ("in 2019") is read as --as-of; an age ("14 year old girl") picks the group.

    \b
    Examples:
      stakeholder-graph ask "who handles child victims in Niš?"
      stakeholder-graph ask "where should police refer a child victim in Niš?"
      stakeholder-graph ask "what is the pathway for an unaccompanied migrant child in Subotica?"
      stakeholder-graph ask "where is there no shelter for children?"
      stakeholder-graph ask "ko pomaže deci žrtvama trgovine u Nišu?"
      stakeholder-graph ask "ко помаже деци у Нишу?"
    """
    from stakeholder_graph.graph.errors import CannotMap
    from stakeholder_graph.queries.ask import ask as run
    from stakeholder_graph.viz.i18n import _
    from stakeholder_graph.viz.text import understood_text

    try:
        result = run(state.graph(), question, as_of, freshness, stated_only)
    except CannotMap as refusal:
        if lang:  # the refusal in the language asked for, not the question's
            refusal.details["language"] = lang
        raise
    emit_answer(fmt, result["intent"], result["answer"], document=result, lang=lang or result["language"],
                before=lambda: _("Understood: {terms}").format(terms=understood_text(result)) + "\n\n")

