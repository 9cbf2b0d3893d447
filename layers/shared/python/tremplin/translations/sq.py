"""Albanian (shqip): the participant's messages, weekdays and payslip words.

Machine translation that no native speaker has reviewed yet (REVIEWED = False).
"""

from __future__ import annotations

REVIEWED = False

PIECES: dict[str, str] = {"title": " «{}»", "org": " te {}", "when": " më {}", "topic": ": {}", "who": "pjesëmarrësi"}

WEEKDAYS: tuple[str, ...] = ("hën.", "mar.", "mër.", "enj.", "pre.", "sht.", "die.")

WORDINGS: dict[str, dict[str, tuple[str | tuple[str, ...], ...]]] = {
    "enrolled": {
        "participant": (
            "Mirë se vini te Tremplin",
            "Tani jeni regjistruar te Tremplin.",
            "Ju lutem lexoni në profilin tuaj si i përdorim të dhënat tuaja dhe jepni pëlqimin tuaj.",
            "Pastaj mund të aplikoni për turne pune.",
        ),
    },
    "consent_given": {
        "participant": ("Faleminderit për pëlqimin tuaj", "Tani mund të aplikoni për turne pune."),
    },
    "job_suggested": {
        "participant": (
            "Propozim pune{topic}",
            (
                "Punonjësi juaj social ju propozon një punë: {job_title}{org}.",
                "Punonjësi juaj social ju propozon një punë{org}.",
            ),
            "Shikojeni dhe aplikoni nëse ju përshtatet.",
        ),
    },
    "invitation_made": {
        "participant": (
            "Një ftesë për ju{topic}",
            (
                "{org_name} ju fton përsëri: për turnin{title}{when}.",
                "Jeni ftuar përsëri: për turnin{title}{org}{when}.",
            ),
            (
                "Ju lutem pranoni ose refuzoni deri më {deadline}; pas kësaj ftesa mbaron.",
                "Ju lutem pranoni ose refuzoni së shpejti.",
            ),
        ),
    },
    "offer_made": {
        "participant": (
            "Një ofertë për ju{topic}",
            "Keni një ofertë për turnin{title}{org}{when}.",
            (
                "Ju lutem pranoni ose refuzoni deri më {deadline}; pas kësaj oferta mbaron.",
                "Ju lutem pranoni ose refuzoni së shpejti.",
            ),
        ),
    },
    "application_rejected": {
        "participant": (
            "Aplikimi nuk u zgjodh{topic}",
            "Aplikimi juaj për turnin{title}{org}{when} nuk u zgjodh këtë herë.",
            "Te «Punë» gjeni më shumë turne.",
        ),
    },
    "offer_expired": {
        "participant": (
            "Oferta mbaroi{topic}",
            "Oferta për turnin{title}{org}{when} mbaroi, sepse nuk erdhi përgjigje.",
            "Te «Punë» gjeni më shumë turne.",
        ),
    },
    "application_cancelled": {
        "participant": (
            "Turni u anulua{topic}",
            (
                "{org_name} e anuloi turnin tuaj{title}{when}.",
                "Punëdhënësi e anuloi turnin tuaj{title}{when}.",
            ),
        ),
    },
    "shift_cancelled": {
        "participant": (
            "Turni u anulua{topic}",
            (
                "{org_name} e anuloi turnin{title}{when}.",
                "Punëdhënësi e anuloi turnin{title}{when}.",
            ),
            "Te «Punë» gjeni më shumë turne.",
        ),
    },
    "shift_reminder": {
        "participant": (
            "Kujtesë{topic}",
            "Kujtesë: turni juaj{title}{org}{when}.",
            "Nëse nuk mund të vini, ju lutem anulojeni sa më shpejt.",
        ),
    },
    "hours_submitted": {
        "participant": (
            "Kontrolloni orët{topic}",
            (
                "{org_name} i regjistroi orët tuaja për turnin{title}{when}.",
                "Punëdhënësi i regjistroi orët tuaja për turnin{title}{when}.",
            ),
            "Ju lutem pranojini ose kundërshtojini brenda 72 orëve; pa përgjigje ato quhen të pranuara.",
        ),
    },
    "payslip_issued": {
        "participant": (
            "Fletëpagesa juaj është gati",
            "Fletëpagesa juaj është gati.",
            "E gjeni te «Paga», edhe si PDF.",
        ),
    },
    "reference_written": {
        "participant": (
            "Referencë e re{topic}",
            (
                "{org_name} ju shkroi një referencë për turnin{title}{when}.",
                "Vendi i punës ju shkroi një referencë për turnin{title}{when}.",
            ),
            "Te «Dokumente» vendosni nëse ajo hyn në vërtetimin tuaj të punës.",
        ),
    },
    "hours_approved": {
        "participant": (
            "Orët u pranuan{topic}",
            "Orët për turnin tuaj{title}{org}{when} u pranuan.",
            "Paga vjen me fletëpagesën tuaj të ardhshme.",
        ),
    },
    "regular_offer_made": {
        "participant": (
            ("Ofertë pune nga {org_name}", "Një ofertë pune për ju"),
            (
                "{org_name} ju ofron vendin e punës{position}, me fillim më {start_day}.",
                "Një punëdhënës ju ofron vendin e punës{position}.",
            ),
            "Te «Oferta pune» mund ta pranoni ose ta refuzoni.",
        ),
    },
    "regular_offer_withdrawn": {
        "participant": (
            ("Oferta e punës u tërhoq: {position_title}", "Oferta e punës u tërhoq"),
            (
                "{org_name} e tërhoqi ofertën e punës{position}.",
                "Punëdhënësi e tërhoqi ofertën e punës{position}.",
            ),
        ),
    },
}

PAYSLIP: dict[str, str] = {
    "title": "Fletëpagesa",
    "employer": "Punëdhënësi: Tremplin - Program për punë afatshkurtra",
    "name": "Emri",
    "payslip_id": "Fletëpagesa nr.",
    "work_month": "Muaji i punës",
    "payout_date": "Data e pagesës",
    "amounts": "Shumat në CHF",
    "date": "Data",
    "company": "Vendi i punës",
    "hours": "Orë",
    "base": "Paga bazë",
    "public_holiday": "Festat zyrtare",
    "holiday": "Pushimet",
    "thirteenth_month": "Paga e 13-të",
    "gross": "Bruto",
    "compensation": "kompensim",
    "total_hours": "Orët gjithsej",
    "total_gross": "Paga bruto",
    "deductions": "Zbritjet",
    "ahv_iv_eo": "AHV/IV/EO (pleqëria, invaliditeti, kompensimi i të ardhurave)",
    "alv": "ALV (sigurimi i papunësisë)",
    "nbu": "NBU (sigurimi për aksidente jashtë punës)",
    "ktg": "KTG (sigurimi i pagesës ditore për sëmundje)",
    "gav": "GAV (kontributi i kontratës kolektive)",
    "bvg": "BVG (fondi i pensionit profesional)",
    "total_deductions": "Zbritjet gjithsej",
    "net": "Paga neto",
    "withholding_tax": "Tatimi në burim: nuk llogaritet në këtë fletëpagesë dhe paguhet veçmas.",
    "page": "Faqja",
}
