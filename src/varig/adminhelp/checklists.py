"""The checklist of each kind of admin-help task, kept in code as data.

Each kind has numbered versions; the newest is used for new tasks and copied into the task's
rows (`ChecklistItem`), so changing a checklist never rewrites a task already under way. To
change a checklist, add a NEW version below the old one (keep the old: its texts stay in the
catalogue, so old tasks still read in Danish) and never reuse a key for a different step.

The steps are written the way an experienced advisor works a case: what to have ready, whom to
call, what to send and what to follow up. Facts come from BENEFITS.md (official sources:
pensionsloven §§ 32 c, 43 a, 44; borger.dk; star.dk); where the law is unsettled the step says
so instead of guessing.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from .models import TaskKind


@dataclass(frozen=True)
class Step:
    key: str
    text: str  # the source text (copied into the task's rows); `label` is its translation

    @property
    def label(self) -> str:
        return gettext(self.text)


@dataclass(frozen=True)
class Checklist:
    kind: str
    version: int
    intro: str
    steps: tuple[Step, ...]

    @property
    def intro_label(self) -> str:
        return gettext(self.intro)


_CHECKLISTS: tuple[Checklist, ...] = (
    Checklist(
        kind=TaskKind.PENSION_FUND,
        version=1,
        intro=gettext_noop(
            "Questions to the job customer's pension fund: an insurance payout for lost working "
            "capacity and how a wage affects it, or starting pension savings in the new job."
        ),
        steps=(
            Step(
                "find_fund",
                gettext_noop(
                    "Look up the job customer's pensions on pensionsinfo.dk together with them "
                    "(MitID) and note the pension fund and the policy number."
                ),
            ),
            Step(
                "agree_question",
                gettext_noop(
                    "Agree with the job customer what to ask: whether a payout for lost working "
                    "capacity is reduced by the wage, or how to start saving in the new job."
                ),
            ),
            Step(
                "have_ready",
                gettext_noop(
                    "Have ready: the employment contract (hours and hourly wage), the latest "
                    "payslips and the decision on the førtidspension."
                ),
            ),
            Step(
                "call",
                gettext_noop(
                    "Call the pension fund with the job customer beside you (or with a signed "
                    "power of attorney); note the name of the person you spoke to and what was "
                    "agreed."
                ),
            ),
            Step(
                "send",
                gettext_noop(
                    "Send what the pension fund asks for through its secure mail and keep the "
                    "receipt."
                ),
            ),
            Step(
                "follow_up",
                gettext_noop(
                    "Follow up on the answer and go through it with the job customer: what "
                    "happens to the payout, and is anything to be paid back?"
                ),
            ),
        ),
    ),
    Checklist(
        kind=TaskKind.UDBETALING_DANMARK,
        version=1,
        intro=gettext_noop(
            "Udbetaling Danmark pays the førtidspension from the expected income, adjusts it "
            "every month from eIndkomst and settles the year afterwards. A new job or more "
            "hours must be reported, or the person may have to pay back."
        ),
        steps=(
            Step(
                "look_up",
                gettext_noop(
                    "Log in on borger.dk with the job customer (MitID) and see which income the "
                    "pension is calculated from."
                ),
            ),
            Step(
                "have_ready",
                gettext_noop(
                    "Have ready: the employment contract, the start date, the hours and the "
                    "hourly wage; work out the expected income for the year with the earnings "
                    "guide."
                ),
            ),
            Step(
                "report",
                gettext_noop(
                    "Report the new income to Udbetaling Danmark (self-service on borger.dk, or "
                    "call Udbetaling Danmark Pension with the job customer beside you)."
                ),
            ),
            Step(
                "explain",
                gettext_noop(
                    "Explain to the job customer that the pension is adjusted every month and "
                    "settled after the year ends: more than 249 kr. paid too much is paid back."
                ),
            ),
            Step(
                "receipt",
                gettext_noop("Keep the receipt of the report and write the date in the notes."),
            ),
            Step(
                "follow_up",
                gettext_noop(
                    "Follow up when the new pension letter comes: does the amount match the "
                    "calculation? If not, call Udbetaling Danmark again."
                ),
            ),
        ),
    ),
    Checklist(
        kind=TaskKind.PENSION_SUSPENSION,
        version=1,
        intro=gettext_noop(
            "Suspending the førtidspension (hvilende, § 43 a) to try a job, restarting a "
            "suspended pension, or a letter from the municipality about withdrawal (§ 44)."
        ),
        steps=(
            Step(
                "clarify",
                gettext_noop(
                    "Talk with the job customer about what they want: to suspend the pension "
                    "while trying a job, to restart a suspended pension, or to answer the "
                    "municipality about withdrawal."
                ),
            ),
            Step(
                "explain_rules",
                gettext_noop(
                    "Explain the difference plainly: a suspended pension restarts when the "
                    "person contacts the municipality, with no new application. A withdrawn "
                    "pension is gone: never let anything be sent before the person understands "
                    "this."
                ),
            ),
            Step(
                "withdrawal_rules",
                gettext_noop(
                    "About withdrawal: from 2023 to 2025 it was only possible in special "
                    "circumstances. Whether that was extended is not confirmed: ask the "
                    "municipality in writing and do not promise anything."
                ),
            ),
            Step(
                "have_ready",
                gettext_noop(
                    "Have ready: the decision on the førtidspension, the employment contract "
                    "and the wage, and the job customer's consent to talk with the municipality."
                ),
            ),
            Step(
                "contact",
                gettext_noop(
                    "Contact the municipality's case worker on the pension case and agree how "
                    "the request is to be sent."
                ),
            ),
            Step(
                "send",
                gettext_noop(
                    "Send the request in writing (digital mail) in the job customer's name and "
                    "keep a copy."
                ),
            ),
            Step(
                "follow_up",
                gettext_noop(
                    "Follow up on the municipality's decision, go through it with the job "
                    "customer and write down the date it applies from."
                ),
            ),
        ),
    ),
    Checklist(
        kind=TaskKind.HOUSING_BENEFIT,
        version=1,
        intro=gettext_noop(
            "Housing benefit (boligsikring) depends on the household's income: a wage must be "
            "reported, and each extra krone earned costs about 18 øre of housing benefit."
        ),
        steps=(
            Step(
                "have_ready",
                gettext_noop(
                    "Have ready: the employment contract, the latest payslips and the expected "
                    "income for the year, and the partner's income if the job customer lives "
                    "with someone."
                ),
            ),
            Step(
                "look_up",
                gettext_noop(
                    "Log in on borger.dk with the job customer and see the current housing "
                    "benefit and the household income it is calculated from."
                ),
            ),
            Step(
                "report",
                gettext_noop(
                    "Report the new income to Udbetaling Danmark (housing benefit) on borger.dk, "
                    "at the latest when the first wage is paid."
                ),
            ),
            Step(
                "explain",
                gettext_noop(
                    "Show the job customer in the earnings guide what the housing benefit "
                    "becomes, so the lower amount is no surprise."
                ),
            ),
            Step(
                "receipt",
                gettext_noop("Keep the receipt of the report and write the date in the notes."),
            ),
            Step(
                "follow_up",
                gettext_noop(
                    "Follow up on the new decision on housing benefit: is the amount right, and "
                    "is anything to be paid back?"
                ),
            ),
        ),
    ),
    Checklist(
        kind=TaskKind.TAX,
        version=1,
        intro=gettext_noop(
            "With a wage beside the pension the preliminary income assessment "
            "(forskudsopgørelse) must be updated, or the year ends with back tax."
        ),
        steps=(
            Step(
                "have_ready",
                gettext_noop(
                    "Have ready: the employment contract and the latest payslips; work out the "
                    "expected wage for the rest of the year (hours a week times the hourly wage times the weeks)."
                ),
            ),
            Step(
                "open",
                gettext_noop(
                    "Log in on skat.dk (TastSelv) with the job customer and open the preliminary "
                    "income assessment."
                ),
            ),
            Step(
                "update_income",
                gettext_noop(
                    "Enter the expected wage and check that the førtidspension for the year is "
                    "right; add deductions (transport, union, unemployment fund)."
                ),
            ),
            Step(
                "tax_card",
                gettext_noop(
                    "Check which income uses the main tax card and that the allowance is not "
                    "used twice; the employer gets the new tax card by itself."
                ),
            ),
            Step(
                "copy",
                gettext_noop("Save a copy of the new assessment and write the date in the notes."),
            ),
            Step(
                "follow_up",
                gettext_noop(
                    "Follow up in the spring: go through the annual tax statement "
                    "(årsopgørelse) with the job customer, back tax or money back."
                ),
            ),
        ),
    ),
    Checklist(
        kind=TaskKind.FLEKSJOB,
        version=1,
        intro=gettext_noop(
            "Fleksjob is not possible while the førtidspension is paid: the pension must be "
            "suspended or withdrawn, and the income becomes a wage with the municipality's "
            "subsidy instead. A big decision: take it slowly."
        ),
        steps=(
            Step(
                "calculate",
                gettext_noop(
                    "Work out with the job customer what they have a month now and in the "
                    "fleksjob, and what happens if the job ends."
                ),
            ),
            Step(
                "decide",
                gettext_noop(
                    "Let the job customer decide after thinking it over, and after talking with "
                    "relatives if they want to; write down the decision in the notes."
                ),
            ),
            Step(
                "have_ready",
                gettext_noop(
                    "Have ready: the company's description of the job, the hours, the agreed "
                    "accommodations and the job customer's consent."
                ),
            ),
            Step(
                "jobcenter",
                gettext_noop(
                    "Contact the jobcenter's fleksjob team to ask for a fleksjob assessment and "
                    "agree who sends what."
                ),
            ),
            Step(
                "pension",
                gettext_noop(
                    "Ask the municipality at the same time what happens to the pension "
                    "(suspended rather than withdrawn, if possible); make a task for it."
                ),
            ),
            Step(
                "send",
                gettext_noop("Send the documents with the job customer's consent and keep copies."),
            ),
            Step(
                "follow_up",
                gettext_noop(
                    "Follow up on the municipality's decision and the start date; then record "
                    "the placement as a fleksjob."
                ),
            ),
        ),
    ),
)

CHECKLISTS: dict[str, dict[int, Checklist]] = {}
for _checklist in _CHECKLISTS:
    CHECKLISTS.setdefault(_checklist.kind, {})[_checklist.version] = _checklist


def current_checklist(kind: str) -> Checklist:
    """The newest checklist of `kind` (KeyError for an unknown kind)."""
    versions = CHECKLISTS[kind]
    return versions[max(versions)]


def checklist(kind: str, version: int) -> Checklist | None:
    """The checklist a task was made with (None when the code no longer has it)."""
    return CHECKLISTS.get(kind, {}).get(version)
