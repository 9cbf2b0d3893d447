"""Portuguese (português): the participant's messages, weekdays and payslip words.

Machine translation that no native speaker has reviewed yet (REVIEWED = False).
"""

from __future__ import annotations

REVIEWED = False

PIECES: dict[str, str] = {
    "title": " «{}»",
    "org": " na empresa {}",
    "when": " no dia {}",
    "topic": ": {}",
    "who": "a pessoa participante",
}

WEEKDAYS: tuple[str, ...] = ("seg.", "ter.", "qua.", "qui.", "sex.", "sáb.", "dom.")

WORDINGS: dict[str, dict[str, tuple[str | tuple[str, ...], ...]]] = {
    "enrolled": {
        "participant": (
            "Bem-vindo/a ao Tremplin",
            "Agora está inscrito/a no Tremplin.",
            "Leia no seu perfil como usamos os seus dados e dê o seu consentimento.",
            "Depois pode candidatar-se a turnos.",
        ),
    },
    "consent_given": {
        "participant": ("Obrigado pelo seu consentimento", "Agora pode candidatar-se a turnos."),
    },
    "job_suggested": {
        "participant": (
            "Sugestão de trabalho{topic}",
            (
                "A sua assistente social ou o seu assistente social sugere-lhe um trabalho: {job_title}{org}.",
                "A sua assistente social ou o seu assistente social sugere-lhe um trabalho{org}.",
            ),
            "Veja o trabalho e candidate-se se for bom para si.",
        ),
    },
    "invitation_made": {
        "participant": (
            "Um convite para si{topic}",
            (
                "{org_name} convida-o/a outra vez: para o turno{title}{when}.",
                "Está convidado/a outra vez: para o turno{title}{org}{when}.",
            ),
            (
                "Confirme ou recuse até {deadline}; depois disso o convite termina.",
                "Confirme ou recuse em breve.",
            ),
        ),
    },
    "offer_made": {
        "participant": (
            "Uma oferta para si{topic}",
            "Tem uma oferta para o turno{title}{org}{when}.",
            (
                "Confirme ou recuse até {deadline}; depois disso a oferta termina.",
                "Confirme ou recuse em breve.",
            ),
        ),
    },
    "application_rejected": {
        "participant": (
            "Candidatura não escolhida{topic}",
            "A sua candidatura para o turno{title}{org}{when} não foi escolhida desta vez.",
            "Encontra mais turnos em «Trabalhos».",
        ),
    },
    "offer_expired": {
        "participant": (
            "Oferta terminada{topic}",
            "A oferta para o turno{title}{org}{when} terminou porque não houve resposta.",
            "Encontra mais turnos em «Trabalhos».",
        ),
    },
    "application_cancelled": {
        "participant": (
            "Turno cancelado{topic}",
            (
                "{org_name} cancelou o seu turno{title}{when}.",
                "O empregador cancelou o seu turno{title}{when}.",
            ),
        ),
    },
    "shift_cancelled": {
        "participant": (
            "Turno cancelado{topic}",
            (
                "{org_name} cancelou o turno{title}{when}.",
                "O empregador cancelou o turno{title}{when}.",
            ),
            "Encontra mais turnos em «Trabalhos».",
        ),
    },
    "shift_reminder": {
        "participant": (
            "Lembrete{topic}",
            "Lembrete: o seu turno{title}{org}{when}.",
            "Se não puder vir, cancele o mais cedo possível.",
        ),
    },
    "hours_submitted": {
        "participant": (
            "Horas para verificar{topic}",
            (
                "{org_name} registou as suas horas do turno{title}{when}.",
                "O empregador registou as suas horas do turno{title}{when}.",
            ),
            "Aprove ou conteste as horas dentro de 72 horas; sem resposta, contam como aprovadas.",
        ),
    },
    "payslip_issued": {
        "participant": (
            "O seu recibo de salário está pronto",
            "O seu recibo de salário está pronto.",
            "Encontra-o em «Salário», também em PDF.",
        ),
    },
    "reference_written": {
        "participant": (
            "Nova referência{topic}",
            (
                "{org_name} escreveu uma referência para si sobre o turno{title}{when}.",
                "O local de trabalho escreveu uma referência para si sobre o turno{title}{when}.",
            ),
            "Em «Documentos» decide se ela entra no seu certificado de trabalho.",
        ),
    },
    "hours_approved": {
        "participant": (
            "Horas aprovadas{topic}",
            "As horas do seu turno{title}{org}{when} estão aprovadas.",
            "O salário vem com o seu próximo recibo de salário.",
        ),
    },
    "regular_offer_made": {
        "participant": (
            ("Oferta de emprego de {org_name}", "Uma oferta de emprego para si"),
            (
                "{org_name} oferece-lhe o emprego{position}, com início em {start_day}.",
                "Um empregador oferece-lhe o emprego{position}.",
            ),
            "Em «Ofertas de emprego» pode aceitar ou recusar.",
        ),
    },
    "regular_offer_withdrawn": {
        "participant": (
            ("Oferta de emprego retirada: {position_title}", "Oferta de emprego retirada"),
            (
                "{org_name} retirou a oferta de emprego{position}.",
                "O empregador retirou a oferta de emprego{position}.",
            ),
        ),
    },
}

PAYSLIP: dict[str, str] = {
    "title": "Recibo de salário",
    "employer": "Empregador: Tremplin - Programa de trabalhos de curta duração",
    "name": "Nome",
    "payslip_id": "Recibo n.º",
    "work_month": "Mês de trabalho",
    "payout_date": "Data de pagamento",
    "amounts": "Valores em CHF",
    "date": "Data",
    "company": "Local de trabalho",
    "hours": "Horas",
    "base": "Salário base",
    "public_holiday": "Feriados",
    "holiday": "Férias",
    "thirteenth_month": "13.º mês",
    "gross": "Bruto",
    "compensation": "indemnização",
    "total_hours": "Total de horas",
    "total_gross": "Salário bruto",
    "deductions": "Descontos",
    "ahv_iv_eo": "AHV/IV/EO (velhice, invalidez, compensação de rendimentos)",
    "alv": "ALV (seguro de desemprego)",
    "nbu": "NBU (seguro de acidentes fora do trabalho)",
    "ktg": "KTG (seguro de subsídio diário por doença)",
    "gav": "GAV (contribuição do contrato coletivo)",
    "bvg": "BVG (fundo de pensões profissional)",
    "total_deductions": "Total de descontos",
    "net": "Salário líquido",
    "withholding_tax": "Imposto na fonte: não é calculado neste recibo de salário e é tratado à parte.",
    "page": "Página",
}
