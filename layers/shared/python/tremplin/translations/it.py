"""Italian: participants' inbox messages and payslips (tremplin.translations).

Unreviewed: machine translation, no native speaker has reviewed it.
"""

REVIEWED = False

PIECES = {"title": " «{}»", "org": " presso {}", "when": " il {}", "topic": ": {}", "who": "la persona partecipante"}

WEEKDAYS = ("lun", "mar", "mer", "gio", "ven", "sab", "dom")

WORDINGS = {
    "enrolled": {
        "participant": (
            "Benvenuta/o in Tremplin",
            "Ora è iscritta/o a Tremplin.",
            "Legga nel Suo profilo come usiamo i Suoi dati e dia il Suo consenso.",
            "Poi potrà candidarsi per i turni.",
        ),
    },
    "consent_given": {
        "participant": ("Grazie per il Suo consenso", "Ora può candidarsi per i turni."),
    },
    "job_suggested": {
        "participant": (
            "Proposta di lavoro{topic}",
            (
                "La Sua assistente sociale o il Suo assistente sociale Le propone un lavoro: {job_title}{org}.",
                "La Sua assistente sociale o il Suo assistente sociale Le propone un lavoro{org}.",
            ),
            "Lo guardi e si candidi se fa per Lei.",
        ),
    },
    "invitation_made": {
        "participant": (
            "Un invito per Lei{topic}",
            (
                "{org_name} La invita di nuovo: al turno{title}{when}.",
                "È invitata/o di nuovo: al turno{title}{org}{when}.",
            ),
            (
                "Confermi o rifiuti entro {deadline}; dopo l'invito scade.",
                "Confermi o rifiuti presto, per favore.",
            ),
        ),
    },
    "offer_made": {
        "participant": (
            "Un'offerta per Lei{topic}",
            "Ha un'offerta per il turno{title}{org}{when}.",
            (
                "Confermi o rifiuti entro {deadline}; dopo l'offerta scade.",
                "Confermi o rifiuti presto, per favore.",
            ),
        ),
    },
    "application_rejected": {
        "participant": (
            "Candidatura non scelta{topic}",
            "La Sua candidatura per il turno{title}{org}{when} questa volta non è stata scelta.",
            "Trova altri turni alla voce «Lavori».",
        ),
    },
    "offer_expired": {
        "participant": (
            "Offerta scaduta{topic}",
            "L'offerta per il turno{title}{org}{when} è scaduta senza risposta.",
            "Trova altri turni alla voce «Lavori».",
        ),
    },
    "application_cancelled": {
        "participant": (
            "Turno annullato{topic}",
            (
                "{org_name} ha annullato il Suo turno{title}{when}.",
                "Il datore di lavoro ha annullato il Suo turno{title}{when}.",
            ),
        ),
    },
    "shift_cancelled": {
        "participant": (
            "Turno annullato{topic}",
            (
                "{org_name} ha annullato il turno{title}{when}.",
                "Il datore di lavoro ha annullato il turno{title}{when}.",
            ),
            "Trova altri turni alla voce «Lavori».",
        ),
    },
    "shift_reminder": {
        "participant": (
            "Promemoria{topic}",
            "Promemoria: il Suo turno{title}{org}{when}.",
            "Se non può venire, annulli il prima possibile.",
        ),
    },
    "hours_submitted": {
        "participant": (
            "Ore da controllare{topic}",
            (
                "{org_name} ha registrato le Sue ore per il turno{title}{when}.",
                "Il datore di lavoro ha registrato le Sue ore per il turno{title}{when}.",
            ),
            "Le approvi o le contesti entro 72 ore; senza risposta valgono come approvate.",
        ),
    },
    "payslip_issued": {
        "participant": (
            "La Sua busta paga è pronta",
            "La Sua busta paga è pronta.",
            "La trova alla voce «Paga», anche in PDF.",
        ),
    },
    "reference_written": {
        "participant": (
            "Nuova referenza{topic}",
            (
                "{org_name} Le ha scritto una referenza per il turno{title}{when}.",
                "L'azienda Le ha scritto una referenza per il turno{title}{when}.",
            ),
            "Alla voce «Documenti» decide se inserirla nel Suo attestato di lavoro.",
        ),
    },
    "hours_approved": {
        "participant": (
            "Ore approvate{topic}",
            "Le ore del Suo turno{title}{org}{when} sono approvate.",
            "La paga arriva con la prossima busta paga.",
        ),
    },
    "regular_offer_made": {
        "participant": (
            ("Offerta di lavoro da {org_name}", "Un'offerta di lavoro per Lei"),
            (
                "{org_name} Le offre il posto{position}, con inizio il {start_day}.",
                "Un datore di lavoro Le offre il posto{position}.",
            ),
            "Alla voce «Offerte di lavoro» può accettarla o rifiutarla.",
        ),
    },
    "regular_offer_withdrawn": {
        "participant": (
            ("Offerta di lavoro ritirata: {position_title}", "Offerta di lavoro ritirata"),
            (
                "{org_name} ha ritirato l'offerta di lavoro{position}.",
                "Il datore di lavoro ha ritirato l'offerta di lavoro{position}.",
            ),
        ),
    },
}

PAYSLIP = {
    "title": "Conteggio salariale",
    "employer": "Datore di lavoro: Tremplin - Programma di impieghi di breve durata",
    "name": "Nome",
    "payslip_id": "Conteggio n.",
    "work_month": "Mese di lavoro",
    "payout_date": "Data di pagamento",
    "amounts": "Importi in CHF",
    "date": "Data",
    "company": "Azienda",
    "hours": "Ore",
    "base": "Salario di base",
    "public_holiday": "Giorni festivi",
    "holiday": "Vacanze",
    "thirteenth_month": "13a mensilità",
    "gross": "Lordo",
    "compensation": "indennità",
    "total_hours": "Totale ore",
    "total_gross": "Salario lordo",
    "deductions": "Deduzioni",
    "ahv_iv_eo": "AVS/AI/IPG",
    "alv": "AD (assicurazione contro la disoccupazione)",
    "nbu": "AINP (infortuni non professionali)",
    "ktg": "IGM (indennità giornaliera di malattia)",
    "gav": "CCL (spese d'esecuzione)",
    "bvg": "LPP (previdenza professionale)",
    "total_deductions": "Totale deduzioni",
    "net": "Salario netto",
    "withholding_tax": "Imposta alla fonte: non è calcolata su questo conteggio e viene conteggiata separatamente.",
    "page": "Pagina",
}
