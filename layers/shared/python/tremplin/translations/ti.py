"""Tigrinya (ትግርኛ): the participant's messages, weekdays and payslip words.

Machine translation that no native speaker has reviewed yet (REVIEWED = False). Sentences end
with the Ethiopic full stop (።); the facts of a shift follow it after a colon or the noun.
"""

from __future__ import annotations

REVIEWED = False

PIECES: dict[str, str] = {"title": " «{}»", "org": " ኣብ {}", "when": " ብ{}", "topic": ": {}", "who": "ተሳታፊ"}

WEEKDAYS: tuple[str, ...] = ("ሰኑይ", "ሰሉስ", "ረቡዕ", "ሓሙስ", "ዓርቢ", "ቀዳም", "ሰንበት")

WORDINGS: dict[str, dict[str, tuple[str | tuple[str, ...], ...]]] = {
    "enrolled": {
        "participant": (
            "እንቋዕ ናብ Tremplin ብደሓን መጻእኩም",
            "ሕጂ ኣብ Tremplin ተመዝጊብኩም ኣለኹም።",
            "ብኽብረትኩም ኣብ ፕሮፋይልኩም ንሓበሬታኹም ብኸመይ ከም እንጥቀመሉ ኣንብቡ፣ ፍቓድኩም ድማ ሃቡ።",
            "ድሕሪኡ ንናይ ስራሕ ግዜታት ጠለብ ከተእትዉ ትኽእሉ ኢኹም።",
        ),
    },
    "consent_given": {
        "participant": ("ስለ ፍቓድኩም የቐንየልና", "ሕጂ ንናይ ስራሕ ግዜታት ጠለብ ከተእትዉ ትኽእሉ ኢኹም።"),
    },
    "job_suggested": {
        "participant": (
            "ናይ ስራሕ ምኽሪ{topic}",
            (
                "ማሕበራዊ ሰራሕተኛኹም ስራሕ ይመኽረልኩም ኣሎ: {job_title}{org}።",
                "ማሕበራዊ ሰራሕተኛኹም ስራሕ{org} ይመኽረልኩም ኣሎ።",
            ),
            "ርኣይዎ፣ እንተ ተሰማሚዑኩም ድማ ጠለብ ኣእትዉ።",
        ),
    },
    "invitation_made": {
        "participant": (
            "ዕድመ ንኣኹም{topic}",
            (
                "{org_name} ደጊሙ ይዕድመኩም ኣሎ: ናይ ስራሕ ግዜ{title}{when}።",
                "ደጊምኩም ተዓዲምኩም ኣለኹም: ናይ ስራሕ ግዜ{title}{org}{when}።",
            ),
            (
                "ክሳብ {deadline} ተቐበሉ ወይ ነጽጉ፤ ድሕሪኡ እቲ ዕድመ ይውዳእ።",
                "ብቕልጡፍ ተቐበሉ ወይ ነጽጉ።",
            ),
        ),
    },
    "offer_made": {
        "participant": (
            "ዕድል ንኣኹም{topic}",
            "ዕድል ኣለኩም: ናይ ስራሕ ግዜ{title}{org}{when}።",
            (
                "ክሳብ {deadline} ተቐበሉ ወይ ነጽጉ፤ ድሕሪኡ እቲ ዕድል ይውዳእ።",
                "ብቕልጡፍ ተቐበሉ ወይ ነጽጉ።",
            ),
        ),
    },
    "application_rejected": {
        "participant": (
            "ጠለብኩም ኣይተመርጸን{topic}",
            "ጠለብኩም ንናይ ስራሕ ግዜ{title}{org}{when} ኣብዚ ግዜ እዚ ኣይተመርጸን።",
            "ኣብ «ስራሓት» ካልእ ናይ ስራሕ ግዜታት ክትረኽቡ ትኽእሉ ኢኹም።",
        ),
    },
    "offer_expired": {
        "participant": (
            "እቲ ዕድል ተወዲኡ{topic}",
            "መልሲ ስለ ዘይመጸ፣ እቲ ዕድል ንናይ ስራሕ ግዜ{title}{org}{when} ተወዲኡ።",
            "ኣብ «ስራሓት» ካልእ ናይ ስራሕ ግዜታት ክትረኽቡ ትኽእሉ ኢኹም።",
        ),
    },
    "application_cancelled": {
        "participant": (
            "ናይ ስራሕ ግዜ ተሰሪዙ{topic}",
            (
                "{org_name} ናይ ስራሕ ግዜኹም{title}{when} ሰሪዝዎ።",
                "ወሃቢ ስራሕ ናይ ስራሕ ግዜኹም{title}{when} ሰሪዝዎ።",
            ),
        ),
    },
    "shift_cancelled": {
        "participant": (
            "ናይ ስራሕ ግዜ ተሰሪዙ{topic}",
            (
                "{org_name} ነቲ ናይ ስራሕ ግዜ{title}{when} ሰሪዝዎ።",
                "ወሃቢ ስራሕ ነቲ ናይ ስራሕ ግዜ{title}{when} ሰሪዝዎ።",
            ),
            "ኣብ «ስራሓት» ካልእ ናይ ስራሕ ግዜታት ክትረኽቡ ትኽእሉ ኢኹም።",
        ),
    },
    "shift_reminder": {
        "participant": (
            "መዘኻኸሪ{topic}",
            "መዘኻኸሪ: ናይ ስራሕ ግዜኹም{title}{org}{when}።",
            "ክትመጹ እንተ ዘይክኢልኩም፣ ብኽብረትኩም ብዝኸኣለ መጠን ቀልጢፍኩም ሰርዝዎ።",
        ),
    },
    "hours_submitted": {
        "participant": (
            "ዝረጋገጹ ሰዓታት{topic}",
            (
                "{org_name} ሰዓታትኩም ናይ ስራሕ ግዜ{title}{when} መዝጊቡ።",
                "ወሃቢ ስራሕ ሰዓታትኩም ናይ ስራሕ ግዜ{title}{when} መዝጊቡ።",
            ),
            "ብኽብረትኩም ኣብ ውሽጢ 72 ሰዓታት ኣጽድቑ ወይ ተቓወሙ፤ መልሲ እንተ ዘይሃብኩም ከም ዝጸደቑ ይቑጸሩ።",
        ),
    },
    "payslip_issued": {
        "participant": (
            "ናይ ደሞዝ ወረቐትኩም ድሉው እዩ",
            "ናይ ደሞዝ ወረቐትኩም ድሉው እዩ።",
            "ኣብ «ደሞዝ» ክትረኽብዎ ትኽእሉ ኢኹም፣ ከም PDF እውን።",
        ),
    },
    "reference_written": {
        "participant": (
            "ሓድሽ ምስክርነት{topic}",
            (
                "{org_name} ንናይ ስራሕ ግዜ{title}{when} ምስክርነት ጽሒፉልኩም።",
                "ዝሰራሕኩምሉ ቦታ ንናይ ስራሕ ግዜ{title}{when} ምስክርነት ጽሒፉልኩም።",
            ),
            "ኣብ «ሰነዳት» ኣብ ናይ ስራሕ መረጋገጺኹም ይኣቱ ዶ ኣይኣቱን ንስኹም ትውስኑ።",
        ),
    },
    "hours_approved": {
        "participant": (
            "ሰዓታት ጸዲቖም{topic}",
            "ሰዓታት ናይ ስራሕ ግዜኹም{title}{org}{when} ጸዲቖም።",
            "ደሞዝኩም ምስ ዝቕጽል ናይ ደሞዝ ወረቐትኩም ይመጽእ።",
        ),
    },
    "regular_offer_made": {
        "participant": (
            ("ናይ ስራሕ ዕድል ካብ {org_name}", "ናይ ስራሕ ዕድል ንኣኹም"),
            (
                "{org_name} ናይ ስራሕ ቦታ{position} የቕርበልኩም ኣሎ፣ ዚጅምር ብ{start_day}።",
                "ሓደ ወሃቢ ስራሕ ናይ ስራሕ ቦታ{position} የቕርበልኩም ኣሎ።",
            ),
            "ኣብ «ናይ ስራሕ ዕድላት» ክትቕበልዎ ወይ ክትነጽግዎ ትኽእሉ ኢኹም።",
        ),
    },
    "regular_offer_withdrawn": {
        "participant": (
            ("ናይ ስራሕ ዕድል ተሰሒቡ: {position_title}", "ናይ ስራሕ ዕድል ተሰሒቡ"),
            (
                "{org_name} ነቲ ናይ ስራሕ ዕድል{position} ስሒብዎ።",
                "ወሃቢ ስራሕ ነቲ ናይ ስራሕ ዕድል{position} ስሒብዎ።",
            ),
        ),
    },
}

PAYSLIP: dict[str, str] = {
    "title": "ናይ ደሞዝ ወረቐት",
    "employer": "ወሃቢ ስራሕ: Tremplin - ናይ ሓጺር ግዜ ስራሕ መደብ",
    "name": "ስም",
    "payslip_id": "ቁጽሪ ወረቐት",
    "work_month": "ወርሒ ስራሕ",
    "payout_date": "ዕለት ክፍሊት",
    "amounts": "መጠናት ብ CHF",
    "date": "ዕለት",
    "company": "ቦታ ስራሕ",
    "hours": "ሰዓታት",
    "base": "መሰረታዊ ደሞዝ",
    "public_holiday": "በዓላት",
    "holiday": "ዕረፍቲ",
    "thirteenth_month": "13ይ ወርሒ",
    "gross": "ጠቕላላ",
    "compensation": "ካሕሳ",
    "total_hours": "ጠቕላላ ሰዓታት",
    "total_gross": "ጠቕላላ ደሞዝ",
    "deductions": "ቁረጻት",
    "ahv_iv_eo": "AHV/IV/EO (እርጋን፣ ስንክልና፣ ካሕሳ እቶት)",
    "alv": "ALV (መድሕን ስራሕ ኣልቦነት)",
    "nbu": "NBU (መድሕን ሓደጋ ካብ ስራሕ ወጻኢ)",
    "ktg": "KTG (መድሕን መዓልታዊ ክፍሊት ሕማም)",
    "gav": "GAV (ኣበርክቶ ሓባራዊ ውዕል)",
    "bvg": "BVG (ናይ ሞያ ጡረታ)",
    "total_deductions": "ጠቕላላ ቁረጻት",
    "net": "ጽሩይ ደሞዝ",
    "withholding_tax": "ግብሪ ካብ ምንጪ: ኣብዚ ናይ ደሞዝ ወረቐት ኣይተሓሰበን፣ በይኑ ይኽፈል።",
    "page": "ገጽ",
}
