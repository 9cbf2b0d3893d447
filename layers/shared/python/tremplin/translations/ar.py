"""Arabic: participants' inbox messages and payslips (tremplin.translations). Right to left.

Unreviewed: machine translation, no native speaker has reviewed it.
"""

REVIEWED = False

PIECES = {"title": " «{}»", "org": " لدى {}", "when": " يوم {}", "topic": ": {}", "who": "الشخص المشارك"}

WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")

WORDINGS = {
    "enrolled": {
        "participant": (
            "مرحبًا بك في Tremplin",
            "أنت الآن مسجل في Tremplin.",
            "يرجى أن تقرأ في ملفك الشخصي كيف نستخدم بياناتك، وأن تعطي موافقتك.",
            "بعد ذلك يمكنك التقدم لنوبات العمل.",
        ),
    },
    "consent_given": {
        "participant": ("شكرًا على موافقتك", "يمكنك الآن التقدم لنوبات العمل."),
    },
    "job_suggested": {
        "participant": (
            "اقتراح عمل{topic}",
            (
                "يقترح عليك المرشد الاجتماعي عملًا: {job_title}{org}.",
                "يقترح عليك المرشد الاجتماعي عملًا{org}.",
            ),
            "ألقِ نظرة عليه وتقدم له إذا كان يناسبك.",
        ),
    },
    "invitation_made": {
        "participant": (
            "دعوة لك{topic}",
            (
                "{org_name} تدعوك مرة أخرى: إلى نوبة العمل{title}{when}.",
                "أنت مدعو مرة أخرى: إلى نوبة العمل{title}{org}{when}.",
            ),
            (
                "يرجى القبول أو الرفض قبل {deadline}؛ بعد ذلك تنتهي الدعوة.",
                "يرجى القبول أو الرفض قريبًا.",
            ),
        ),
    },
    "offer_made": {
        "participant": (
            "عرض لك{topic}",
            "لديك عرض لنوبة العمل{title}{org}{when}.",
            (
                "يرجى القبول أو الرفض قبل {deadline}؛ بعد ذلك ينتهي العرض.",
                "يرجى القبول أو الرفض قريبًا.",
            ),
        ),
    },
    "application_rejected": {
        "participant": (
            "لم يتم اختيار طلبك{topic}",
            "لم يتم اختيار طلبك لنوبة العمل{title}{org}{when} هذه المرة.",
            "تجد نوبات عمل أخرى تحت «الوظائف».",
        ),
    },
    "offer_expired": {
        "participant": (
            "انتهى العرض{topic}",
            "انتهى العرض لنوبة العمل{title}{org}{when} دون رد.",
            "تجد نوبات عمل أخرى تحت «الوظائف».",
        ),
    },
    "application_cancelled": {
        "participant": (
            "أُلغيت نوبة العمل{topic}",
            (
                "ألغت {org_name} نوبة عملك{title}{when}.",
                "ألغى صاحب العمل نوبة عملك{title}{when}.",
            ),
        ),
    },
    "shift_cancelled": {
        "participant": (
            "أُلغيت نوبة العمل{topic}",
            (
                "ألغت {org_name} نوبة العمل{title}{when}.",
                "ألغى صاحب العمل نوبة العمل{title}{when}.",
            ),
            "تجد نوبات عمل أخرى تحت «الوظائف».",
        ),
    },
    "shift_reminder": {
        "participant": (
            "تذكير{topic}",
            "تذكير: نوبة عملك{title}{org}{when}.",
            "إذا لم تستطع الحضور، يرجى الإلغاء في أقرب وقت ممكن.",
        ),
    },
    "hours_submitted": {
        "participant": (
            "ساعات للمراجعة{topic}",
            (
                "سجلت {org_name} ساعات عملك لنوبة العمل{title}{when}.",
                "سجل صاحب العمل ساعات عملك لنوبة العمل{title}{when}.",
            ),
            "يرجى الموافقة عليها أو الاعتراض خلال 72 ساعة؛ دون رد تُعتبر موافقًا عليها.",
        ),
    },
    "payslip_issued": {
        "participant": (
            "كشف راتبك جاهز",
            "كشف راتبك جاهز.",
            "تجده تحت «الأجر»، وأيضًا كملف PDF.",
        ),
    },
    "reference_written": {
        "participant": (
            "شهادة جديدة{topic}",
            (
                "كتبت لك {org_name} شهادة عن نوبة العمل{title}{when}.",
                "كتب لك مكان العمل شهادة عن نوبة العمل{title}{when}.",
            ),
            "تحت «الوثائق» تقرر إن كانت ستدخل في شهادة عملك.",
        ),
    },
    "hours_approved": {
        "participant": (
            "تمت الموافقة على الساعات{topic}",
            "تمت الموافقة على ساعات نوبة عملك{title}{org}{when}.",
            "يأتي الأجر مع كشف راتبك القادم.",
        ),
    },
    "regular_offer_made": {
        "participant": (
            ("عرض عمل من {org_name}", "عرض عمل لك"),
            (
                "تعرض عليك {org_name} الوظيفة{position}، ابتداءً من {start_day}.",
                "يعرض عليك صاحب عمل الوظيفة{position}.",
            ),
            "تحت «عروض العمل» يمكنك قبوله أو رفضه.",
        ),
    },
    "regular_offer_withdrawn": {
        "participant": (
            ("سُحب عرض العمل: {position_title}", "سُحب عرض العمل"),
            (
                "سحبت {org_name} عرض العمل{position}.",
                "سحب صاحب العمل عرض العمل{position}.",
            ),
        ),
    },
}

PAYSLIP = {
    "title": "كشف الراتب",
    "employer": "صاحب العمل: Tremplin - برنامج الأعمال القصيرة",
    "name": "الاسم",
    "payslip_id": "رقم الكشف",
    "work_month": "شهر العمل",
    "payout_date": "تاريخ الدفع",
    "amounts": "المبالغ بالفرنك السويسري (CHF)",
    "date": "التاريخ",
    "company": "مكان العمل",
    "hours": "الساعات",
    "base": "الأجر الأساسي",
    "public_holiday": "العطل الرسمية",
    "holiday": "الإجازات",
    "thirteenth_month": "الراتب الثالث عشر",
    "gross": "الإجمالي",
    "compensation": "تعويض",
    "total_hours": "مجموع الساعات",
    "total_gross": "الأجر الإجمالي",
    "deductions": "الاستقطاعات",
    "ahv_iv_eo": "AHV/IV/EO (الشيخوخة والعجز وتعويض الدخل)",
    "alv": "ALV (تأمين البطالة)",
    "nbu": "NBU (تأمين الحوادث غير المهنية)",
    "ktg": "KTG (تأمين بدل المرض اليومي)",
    "gav": "GAV (مساهمة اتفاقية العمل الجماعية)",
    "bvg": "BVG (صندوق التقاعد المهني)",
    "total_deductions": "مجموع الاستقطاعات",
    "net": "الأجر الصافي",
    "withholding_tax": "الضريبة المقتطعة من المصدر: لا تُحسب في هذا الكشف وتُسوّى بشكل منفصل.",
    "page": "صفحة",
}
