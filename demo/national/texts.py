"""The Norwegian content of the national demo data: titles, summaries, budget lines, report texts.

Content that kommunar and counties would have written, in nynorsk and bokmål (pairs: nynorsk first), not
interface text: it is not translated. Titles and summaries are made from the programme's themes
(programmes/refdata/luk.json) and the places, so that a search over them finds plausible cases.
"""

from __future__ import annotations

Pair = tuple[str, str]  # (nynorsk, bokmål)

TITLES: dict[str, tuple[Pair, ...]] = {
    "rekruttering": (
        ("Ungdom og bulyst i {place}", "Ungdom og bolyst i {place}"),
        ("Rekruttering av fagfolk til {place}", "Rekruttering av fagfolk til {place}"),
        ("Heim att til {place} – unge vaksne", "Hjem igjen til {place} – unge voksne"),
        ("Traineeprogram for {place}", "Traineeprogram for {place}"),
        ("Tilflyttarvert i {place}", "Tilflyttervert i {place}"),
        ("Bustader for tilflyttarar i {place}", "Boliger for tilflyttere i {place}"),
        ("Velkomen til {place}", "Velkommen til {place}"),
        ("Kompetanse og arbeidskraft i {place}", "Kompetanse og arbeidskraft i {place}"),
        ("Sommarjobb for studentar i {place}", "Sommerjobb for studenter i {place}"),
        ("Bli buande i {place}", "Bli boende i {place}"),
        ("Nye innbyggjarar i {place} – inkludering og trivsel", "Nye innbyggere i {place} – inkludering og trivsel"),
    ),
    "plan-og-prosess": (
        ("Samfunnsdelen av kommuneplanen i {place}", "Samfunnsdelen av kommuneplanen i {place}"),
        ("Innbyggjarmedverknad i planarbeidet – {place}", "Innbyggermedvirkning i planarbeidet – {place}"),
        ("Strategisk næringsplan for {place}", "Strategisk næringsplan for {place}"),
        ("Sentrumsplan for {place} saman med innbyggjarane", "Sentrumsplan for {place} sammen med innbyggerne"),
        ("Prosessleiing og planressurs i {place}", "Prosessledelse og planressurs i {place}"),
        ("Grendeplanar for {place}", "Grendeplaner for {place}"),
        ("Kompetanseløft i plan og prosess – {place}", "Kompetanseløft i plan og prosess – {place}"),
        ("Utviklingsplan for {place} mot 2025", "Utviklingsplan for {place} mot 2025"),
        ("Planverkstad i {place}", "Planverksted i {place}"),
        ("Planstrategi med folkemøte i {place}", "Planstrategi med folkemøter i {place}"),
    ),
    "samhandling": (
        ("Interkommunalt utviklingssamarbeid – {place}", "Interkommunalt utviklingssamarbeid – {place}"),
        ("Felles utviklingsressurs for {place}", "Felles utviklingsressurs for {place}"),
        ("Samhandling mellom kommunen og frivillige i {place}", "Samhandling mellom kommunen og frivillige i {place}"),
        ("Regionalt partnarskap for {place}", "Regionalt partnerskap for {place}"),
        ("Nettverk for utviklingsaktørar i {place}", "Nettverk for utviklingsaktører i {place}"),
        ("Kontaktteam for lokalsamfunnsutvikling – {place}", "Kontaktteam for lokalsamfunnsutvikling – {place}"),
        ("Samarbeid om reiseliv i {place}", "Samarbeid om reiseliv i {place}"),
        ("Felles næringsapparat for {place}", "Felles næringsapparat for {place}"),
        ("Utviklingsforum for {place}", "Utviklingsforum for {place}"),
    ),
    "stadutvikling": (
        ("Attraktivt sentrum i {place}", "Attraktivt sentrum i {place}"),
        ("Stadutvikling og møteplassar i {place}", "Stedsutvikling og møteplasser i {place}"),
        ("Levande sentrum i {place}", "Levende sentrum i {place}"),
        ("Nye møteplassar i {place}", "Nye møteplasser i {place}"),
        ("Grøne lunger i {place}", "Grønne lunger i {place}"),
        ("Turstiar og friluftsliv i {place}", "Turstier og friluftsliv i {place}"),
        ("Kulturløype i {place}", "Kulturløype i {place}"),
        ("Stadanalyse for {place}", "Stedsanalyse for {place}"),
        ("Torget som møteplass i {place}", "Torget som møteplass i {place}"),
        ("Bygdeutvikling i {place}", "Bygdeutvikling i {place}"),
        ("Estetikk og byggjeskikk i {place}", "Estetikk og byggeskikk i {place}"),
        ("Universell utforming av sentrum i {place}", "Universell utforming av sentrum i {place}"),
    ),
    "mobilisering": (
        ("Innbyggjarpanel i {place}", "Innbyggerpanel i {place}"),
        ("Frivilligsentral og dugnadsånd i {place}", "Frivilligsentral og dugnadsånd i {place}"),
        ("Eldsjeler i utviklingsarbeidet i {place}", "Ildsjeler i utviklingsarbeidet i {place}"),
        ("Ungdommens kommunestyre i {place}", "Ungdommens kommunestyre i {place}"),
        ("Grendeutval i {place}", "Grendeutvalg i {place}"),
        ("Nærmiljøutval og folkemøte i {place}", "Nærmiljøutvalg og folkemøter i {place}"),
        ("Bygdemobilisering i {place}", "Bygdemobilisering i {place}"),
        ("Dugnad for {place}", "Dugnad for {place}"),
        ("Ungdom som utviklingsaktørar i {place}", "Ungdom som utviklingsaktører i {place}"),
        ("Lag og foreiningar som drivkraft i {place}", "Lag og foreninger som drivkraft i {place}"),
    ),
    "naringsutvikling": (
        ("Næringsvennleg kommune – {place}", "Næringsvennlig kommune – {place}"),
        ("Gründarhus i {place}", "Gründerhus i {place}"),
        ("Ungt entreprenørskap i {place}", "Ungt entreprenørskap i {place}"),
        ("Næringshage og gründarnettverk i {place}", "Næringshage og gründernettverk i {place}"),
        ("Lokalmat og reiseliv i {place}", "Lokalmat og reiseliv i {place}"),
        ("Etablerarservice i {place}", "Etablererservice i {place}"),
        ("Vertskapskommunen {place}", "Vertskapskommunen {place}"),
        ("Handel og service i {place} sentrum", "Handel og service i {place} sentrum"),
        ("Kontorfellesskap for småbedrifter i {place}", "Kontorfellesskap for småbedrifter i {place}"),
        ("Nye arbeidsplassar i {place}", "Nye arbeidsplasser i {place}"),
    ),
}

AIMS: dict[str, tuple[Pair, ...]] = {
    "rekruttering": (
        (
            "Prosjektet skal gjere {place} meir attraktiv for unge vaksne og fagfolk som vurderer å flytte heim att.",
            "Prosjektet skal gjøre {place} mer attraktiv for unge voksne og fagfolk som vurderer å flytte hjem igjen.",
        ),
        (
            "{place} kommune vil ta godt imot nye innbyggjarar og hjelpe dei til å finne arbeid, bustad og nettverk.",
            "{place} kommune vil ta godt imot nye innbyggere og hjelpe dem med å finne arbeid, bolig og nettverk.",
        ),
    ),
    "plan-og-prosess": (
        (
            "Prosjektet skal gi {place} ein plan som innbyggjarane kjenner seg att i og som blir følgd opp.",
            "Prosjektet skal gi {place} en plan som innbyggerne kjenner seg igjen i og som blir fulgt opp.",
        ),
        (
            "{place} kommune vil styrkje kompetansen sin i plan- og prosessarbeid og få fleire med i planarbeidet.",
            "{place} kommune vil styrke kompetansen sin i plan- og prosessarbeid og få flere med i planarbeidet.",
        ),
    ),
    "samhandling": (
        (
            "Prosjektet skal byggje eit varig samarbeid om lokal samfunnsutvikling i {place}.",
            "Prosjektet skal bygge et varig samarbeid om lokal samfunnsutvikling i {place}.",
        ),
        (
            "{place} og nabokommunane vil dele kompetanse og ressursar i staden for å arbeide kvar for seg.",
            "{place} og nabokommunene vil dele kompetanse og ressurser i stedet for å arbeide hver for seg.",
        ),
    ),
    "stadutvikling": (
        (
            "Prosjektet skal gjere sentrum i {place} til ein levande møteplass for alle aldrar.",
            "Prosjektet skal gjøre sentrum i {place} til en levende møteplass for alle aldre.",
        ),
        (
            "Kommunen vil utvikle gode uterom, stiar og møteplassar saman med dei som bur i {place}.",
            "Kommunen vil utvikle gode uterom, stier og møteplasser sammen med dem som bor i {place}.",
        ),
    ),
    "mobilisering": (
        (
            "Prosjektet skal få fleire innbyggjarar, lag og eldsjeler i {place} med i utviklingsarbeidet.",
            "Prosjektet skal få flere innbyggere, lag og ildsjeler i {place} med i utviklingsarbeidet.",
        ),
        (
            "Kommunen vil gi ungdom og frivillige ei reell stemme i korleis {place} skal utvikle seg.",
            "Kommunen vil gi ungdom og frivillige en reell stemme i hvordan {place} skal utvikle seg.",
        ),
    ),
    "naringsutvikling": (
        (
            "Prosjektet skal gjere det enklare å starte og drive bedrift i {place}.",
            "Prosjektet skal gjøre det enklere å starte og drive bedrift i {place}.",
        ),
        (
            "{place} kommune vil vere ein næringsvennleg og tydeleg utviklingsaktør for gründarar og næringslivet.",
            "{place} kommune vil være en næringsvennlig og tydelig utviklingsaktør for gründere og næringslivet.",
        ),
    ),
}
METHODS: tuple[Pair, ...] = (
    (
        "Arbeidet byggjer på ein stadanalyse og folkemøte med lag, næringsliv og ungdom.",
        "Arbeidet bygger på en stedsanalyse og folkemøter med lag, næringsliv og ungdom.",
    ),
    (
        "Ein prosjektleiar i halv stilling driv arbeidet saman med ei breitt samansett arbeidsgruppe.",
        "En prosjektleder i halv stilling driver arbeidet sammen med en bredt sammensatt arbeidsgruppe.",
    ),
    (
        "Tiltaka blir prøvde ut i liten skala først og evaluerte undervegs.",
        "Tiltakene blir prøvd ut i liten skala først og evaluert underveis.",
    ),
    (
        "Kommunen samarbeider med fylkeskommunen sitt kontaktteam om metode og kompetanse.",
        "Kommunen samarbeider med fylkeskommunens kontaktteam om metode og kompetanse.",
    ),
)
BACKGROUNDS: tuple[Pair, ...] = (
    (
        "{place} har over tid hatt nedgang i folketalet blant unge vaksne.",
        "{place} har over tid hatt nedgang i folketallet blant unge voksne.",
    ),
    (
        "Kommunen manglar kapasitet til utviklingsarbeid ved sida av dei lovpålagde oppgåvene.",
        "Kommunen mangler kapasitet til utviklingsarbeid ved siden av de lovpålagte oppgavene.",
    ),
    (
        "Mange lag og eldsjeler i {place} ønskjer å bidra, men manglar ein stad å møtast.",
        "Mange lag og ildsjeler i {place} ønsker å bidra, men mangler et sted å møtes.",
    ),
    (
        "Næringslivet i {place} er sårbart og avhengig av nokre få store arbeidsgivarar.",
        "Næringslivet i {place} er sårbart og avhengig av noen få store arbeidsgivere.",
    ),
)
GOALS: tuple[Pair, ...] = (
    (
        "Fleire innbyggjarar tek del i utviklingsarbeidet, og kommunen har ein varig arbeidsmåte for det.",
        "Flere innbyggere deltar i utviklingsarbeidet, og kommunen har en varig arbeidsmåte for det.",
    ),
    (
        "Kommunen er ein sterkare utviklingsaktør og har planar som blir følgde opp.",
        "Kommunen er en sterkere utviklingsaktør og har planer som blir fulgt opp.",
    ),
    (
        "{place} er ein stad folk vel å flytte til og bli buande i.",
        "{place} er et sted folk velger å flytte til og bli boende i.",
    ),
)
ACTIVITIES: tuple[Pair, ...] = (
    (
        "Folkemøte, arbeidsgrupper med lag og næringsliv, stadanalyse og evaluering.",
        "Folkemøter, arbeidsgrupper med lag og næringsliv, stedsanalyse og evaluering.",
    ),
    (
        "Prosjektleiar i halv stilling, kurs i prosessleiing, studietur og sluttseminar.",
        "Prosjektleder i halv stilling, kurs i prosessledelse, studietur og sluttseminar.",
    ),
    (
        "Idédugnad med ungdom, tre pilottiltak i sentrum og ei open samling kvart halvår.",
        "Idédugnad med ungdom, tre pilottiltak i sentrum og en åpen samling hvert halvår.",
    ),
)
PARTNER_NAMES: tuple[tuple[str, Pair], ...] = (
    ("business", ("Næringsforeininga i {place}", "Næringsforeningen i {place}")),
    ("business", ("{place} Handelslag", "{place} Handelslag")),
    ("voluntary", ("{place} Idrettslag", "{place} Idrettslag")),
    ("voluntary", ("Frivilligsentralen i {place}", "Frivilligsentralen i {place}")),
    ("voluntary", ("Ungdomslaget i {place}", "Ungdomslaget i {place}")),
    ("citizens", ("Bygdelaget i {place}", "Bygdelaget i {place}")),
    ("citizens", ("Velforeininga i {place} sentrum", "Velforeningen i {place} sentrum")),
    ("public", ("Den vidaregåande skulen i {place}", "Den videregående skolen i {place}")),
    ("other", ("Historielaget i {place}", "Historielaget i {place}")),
)
BUDGET: tuple[tuple[str, Pair], ...] = (
    ("services", ("Prosessleiing og rådgjeving", "Prosessledelse og rådgivning")),
    ("events", ("Folkemøte og arbeidsverkstader", "Folkemøter og arbeidsverksteder")),
    ("travel", ("Reiser og samlingar", "Reiser og samlinger")),
    ("equipment", ("Utstyr og materiell", "Utstyr og materiell")),
    ("events", ("Informasjon og nettside", "Informasjon og nettside")),
    ("other", ("Evaluering og sluttrapport", "Evaluering og sluttrapport")),
)
MILESTONES: tuple[Pair, ...] = (
    ("Prosjektplan vedteken", "Prosjektplan vedtatt"),
    ("Folkemøte", "Folkemøte"),
    ("Stadanalyse ferdig", "Stedsanalyse ferdig"),
    ("Arbeidsgrupper i gang", "Arbeidsgrupper i gang"),
    ("Pilottiltak sette i verk", "Pilottiltak satt i verk"),
    ("Midtvegsevaluering", "Midtveisevaluering"),
)
# Per result goal: (name, unit) in both languages and the range of the target.
INDICATORS: dict[int, tuple[tuple[Pair, Pair, tuple[int, int]], ...]] = {
    1: (
        (
            ("Innbyggjarar som har teke del i planarbeidet", "Innbyggere som har deltatt i planarbeidet"),
            ("personar", "personer"),
            (40, 400),
        ),
        (("Utviklingstiltak sette i verk", "Utviklingstiltak satt i verk"), ("tal", "antall"), (3, 15)),
        (("Nye innbyggjarar i målgruppa", "Nye innbyggere i målgruppen"), ("personar", "personer"), (5, 60)),
    ),
    2: (
        (
            ("Lag, bedrifter og eldsjeler med i arbeidet", "Lag, bedrifter og ildsjeler med i arbeidet"),
            ("tal", "antall"),
            (5, 40),
        ),
        (("Innbyggjarinitiativ følgde opp", "Innbyggerinitiativ fulgt opp"), ("tal", "antall"), (3, 20)),
        (("Dugnadstimar", "Dugnadstimer"), ("timar", "timer"), (100, 2000)),
    ),
    3: (
        (("Kurs og samlingar med fylkeskommunen", "Kurs og samlinger med fylkeskommunen"), ("tal", "antall"), (2, 10)),
        (("Tilsette med kompetanseheving", "Ansatte med kompetanseheving"), ("personar", "personer"), (3, 25)),
    ),
    4: (
        (
            ("Program og verkemiddel samordna i prosjektet", "Programmer og virkemidler samordnet i prosjektet"),
            ("tal", "antall"),
            (2, 8),
        ),
    ),
    5: (
        (("Tiltak finansierte saman med andre", "Tiltak finansiert sammen med andre"), ("tal", "antall"), (2, 12)),
        (("Eksterne midlar utløyste", "Eksterne midler utløst"), ("1 000 kr", "1 000 kr"), (100, 3000)),
    ),
}

REPORT_TEXTS: dict[str, tuple[Pair, ...]] = {
    "activities": (
        (
            "Folkemøte, tre arbeidsmøte med lag og næringsliv og ei stadanalyse.",
            "Folkemøte, tre arbeidsmøter med lag og næringsliv og en stedsanalyse.",
        ),
        (
            "Arbeidsgruppa har møtst kvar månad; to pilottiltak er sette i gang.",
            "Arbeidsgruppen har møttes hver måned; to pilottiltak er satt i gang.",
        ),
        (
            "Idédugnad med ungdomsrådet, studietur og kurs i prosessleiing.",
            "Idédugnad med ungdomsrådet, studietur og kurs i prosessledelse.",
        ),
    ),
    "went_well": (
        ("God oppslutnad frå lag og foreiningar.", "God oppslutning fra lag og foreninger."),
        ("Næringslivet har teke ansvar for fleire tiltak.", "Næringslivet har tatt ansvar for flere tiltak."),
        ("Ungdommen har vore aktive og kome med mange idear.", "Ungdommen har vært aktive og kommet med mange ideer."),
    ),
    "challenges": (
        ("Vanskeleg å nå unge vaksne.", "Vanskelig å nå unge voksne."),
        ("Prosjektleiaren var sjukmeld ein periode.", "Prosjektlederen var sykmeldt en periode."),
        ("Det tek tid å få alle partane til å dra i lag.", "Det tar tid å få alle partene til å dra sammen."),
    ),
    "next_steps": (
        ("Ny runde med arbeidsmøte og ein open dag.", "Ny runde med arbeidsmøter og en åpen dag."),
        ("Setje i verk dei to neste pilottiltaka.", "Sette i verk de to neste pilottiltakene."),
        ("Førebu sluttseminaret og evalueringa.", "Forberede sluttseminaret og evalueringen."),
    ),
    "results": (
        (
            "Dei fleste måla er nådde, og arbeidsmåten held fram.",
            "De fleste målene er nådd, og arbeidsmåten fortsetter.",
        ),
        (
            "Kommunen har fått ein plan som blir følgd opp, og fleire er med i arbeidet.",
            "Kommunen har fått en plan som blir fulgt opp, og flere er med i arbeidet.",
        ),
    ),
    "lessons": (
        ("Tidleg dialog med lag og næringsliv gav eigarskap.", "Tidlig dialog med lag og næringsliv ga eierskap."),
        ("Små tiltak som synest raskt, gav tru på prosjektet.", "Små tiltak som synes raskt, ga tro på prosjektet."),
    ),
}
CONDITIONS = "Framdriftsrapport etter fastsett plan og sluttrapport innan tre månader etter prosjektslutt."
APPROVE_REASONS = (
    "Prosjektet svarar godt på resultatmåla og har brei lokal forankring.",
    "Godt forankra prosjekt med tydelege mål og realistisk budsjett.",
    "Prosjektet styrkjer kommunen som utviklingsaktør og involverer lag og næringsliv.",
)
REJECT_REASONS = (
    "Prosjektet er lite forankra i kommunen og har uklare mål.",
    "Søknaden svarar for svakt på resultatmåla i satsinga.",
    "Tiltaket er drift meir enn utvikling og fell utanfor ordninga.",
    "Fylkeskommunen har prioritert andre prosjekt innanfor ramma i år.",
)
RETURN_MESSAGES = (
    "Skriv meir om korleis innbyggjarane skal ta del, og kven som eig tiltaket.",
    "Budsjettet og finansieringsplanen må gå i hop; gjer greie for eigeninnsatsen.",
    "Få med ei stadfesting frå samarbeidspartnarane.",
)
REFUSE_REASONS = ("Utbetalingsoppmodinga manglar stadfesta rekneskap for perioden.",)
CANCEL_REASONS = (
    "Kommunen har trekt prosjektet etter at prosjektleiaren slutta.",
    "Prosjektet har ikkje kome i gang som planlagt, og kommunen har bede om å avslutte det.",
    "Samarbeidspartnarane har trekt seg, og prosjektet kan ikkje gjennomførast.",
)
CLOSE_COMMENTS = ("Kostnadene vart lågare enn budsjettert.", "Prosjektet er gjennomført innanfor ein lågare kostnad.")
REPORT_RETURN_MESSAGES = ("Gje verdiar for alle indikatorane og skriv meir om utfordringane.",)
