"""The tenth held-out set's maternity hospital reports (``heldout_t``; see ``heldout10.py``; the
same rule: do not read or tune on these when working on the reader).

What a report adds around the drawn rows (the OGTT glucoses, trimester TSH/FT4 intervals, the
hepatitis B markers, a blood count's differential, APTT, fibrinogen, D-dimer, 孕周, 末次月经,
预产期, identifiers) comes from the case's own numbers or the render RNG and never holds a
LiverLens test the truth does not know about; MPV is printed only beside a platelet count in
the truth.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests.extract.draw import EARLIER, direction
from tests.extract.heldout10_render import number, page_extra
from tests.extract.layouts import Row, digits, document, esc, font_for, key_of, page_css, sections
from tests.extract.vocab import FLAG_TEXT, OTHER_BY_KEY, format_date

if TYPE_CHECKING:
    from tests.extract.generate import Case

Bounds = tuple[float | None, float]

HOSPITALS_T: tuple[str, ...] = ("江州市妇幼保健院", "南湖区妇幼保健院", "临川市妇女儿童医院")
HOSPITALS_T += ("华阳省妇幼保健院", "东川县妇幼保健计划生育服务中心", "明州市妇产医院")
STAFF_T = ("张丽", "王慧", "李娜", "陈洁", "刘芳", "赵敏", "孙婷", "周雪", "吴静")
DOCTORS_T = ("黄晓燕", "林美华", "郑秀兰", "何静", "马丽", "罗婷")
# the page's own rows: key -> (name, code, unit, mean, sd, dp, bounds)
EXTRAS_T = {
    "x_wbc": ("白细胞计数", "WBC", "10^9/L", 8.6, 2.2, 2, (3.5, 9.5)),
    "x_rbc": ("红细胞计数", "RBC", "10^12/L", 3.9, 0.4, 2, (3.8, 5.1)),
    "x_hgb": ("血红蛋白", "HGB", "g/L", 118, 12, 0, (115, 150)),
    "x_neut": ("中性粒细胞百分比", "NEUT%", "%", 68, 8, 1, (40, 75)),
    "x_lym": ("淋巴细胞百分比", "LYM%", "%", 24, 6, 1, (20, 50)),
    "x_hct": ("红细胞压积", "HCT", "%", 36, 3, 1, (35, 45)),
    "x_mpv": ("平均血小板体积", "MPV", "fL", 10.5, 1.2, 1, (7.4, 12.5)),
    "x_aptt": ("活化部分凝血活酶时间", "APTT", "s", 29, 3, 1, (25, 37)),
    "x_fib": ("纤维蛋白原", "FIB", "g/L", 4.1, 0.7, 2, (2, 4)),
    "x_tt": ("凝血酶时间", "TT", "s", 16, 1.5, 1, (14, 21)),
    "x_dd": ("D-二聚体", "D-D", "mg/L FEU", 1.2, 0.6, 2, (None, 0.55)),
}
OGTT_T = (("空腹血糖", "GLU0", 4.5, 0.5, 5.1), ("餐后1小时血糖", "GLU1", 7.9, 1.4, 10.0),
          ("餐后2小时血糖", "GLU2", 6.6, 1.2, 8.5))  # fmt: skip
# trimester intervals (早, 中, 晚) a maternity laboratory prints for its thyroid kit
TRIMESTER_T = {"tsh": ((0.09, 4.52), (0.45, 4.32), (0.30, 4.98)),
               "ft4": ((11.3, 17.8), (9.3, 15.2), (7.9, 14.1))}  # fmt: skip
FY_CODES = {"alt": "ALT", "ast": "AST", "alp": "ALP", "ggt": "GGT", "bilirubin": "TBIL",
            "direct_bilirubin": "DBIL", "albumin": "ALB", "platelets": "PLT", "inr": "INR",
            "ck": "CK", "creatinine": "CREA", "sodium": "Na", "bile_acids": "TBA"}  # fmt: skip
HBV_T = (("乙型肝炎表面抗原", "HBsAg"), ("乙型肝炎表面抗体", "抗-HBs"), ("乙型肝炎e抗原", "HBeAg"),
         ("乙型肝炎e抗体", "抗-HBe"), ("乙型肝炎核心抗体", "抗-HBc"))  # fmt: skip
# the markers' patterns (which of the five are positive) and how often each is seen
HBV_PATTERNS = {"": 30, "抗-HBs": 38, "抗-HBs 抗-HBe 抗-HBc": 14, "抗-HBs 抗-HBc": 8,
                "HBsAg 抗-HBe 抗-HBc": 7, "HBsAg HBeAg 抗-HBc": 3}  # fmt: skip


@dataclass
class Visit:
    """Who the patient is to the hospital: department, diagnosis, inpatient, and the pregnancy
    (weeks, days, gravida, para, last period) when there is one."""

    dept: str
    diagnosis: str
    inpatient: bool
    weeks: int | None = None
    days: int = 0
    gravida: int = 1
    para: int = 0
    lmp: dt.date | None = None


def _visit(case: Case, rng: random.Random) -> Visit:
    sex, age, profile = case.header["sex"], case.age, case.style["profile"]
    if sex is None:  # a department either sex attends: the page says nothing of the sex
        dept = rng.choice(("生殖医学科", "婚前保健科"))
        return Visit(dept, "辅助生殖术前检查" if dept == "生殖医学科" else "婚前医学检查", False)
    if profile == "fy_pre" or sex == "男":
        if sex == "男" and profile != "fy_pre":
            return Visit("生殖医学科", rng.choice(("男性不育症", "辅助生殖术前检查")), False)
        dept = rng.choice(("孕前优生门诊", "婚前保健科"))
        diag = "婚前医学检查" if dept == "婚前保健科" else "孕前优生健康检查"
        return Visit(dept, diag + ("（男方）" if sex == "男" and rng.random() < 0.5 else ""), False)
    if age is not None and age <= 45 and rng.random() < 0.92:
        weeks = rng.randint(24, 28) if profile == "fy_chem" else rng.randint(8, 40)
        days = rng.randrange(7)
        gravida = rng.choice((1, 1, 2, 2, 3, 4))
        para = rng.randrange(gravida)
        inpatient = weeks >= 30 and rng.random() < 0.4
        day = dt.date.fromisoformat(case.collected_on) if case.collected_on else None
        lmp = day - dt.timedelta(days=7 * weeks + days) if day else None
        diag = f"孕{weeks}+{days}周 G{gravida}P{para}"
        extra = ("妊娠期肝内胆汁淤积症？", "妊娠合并肝功能异常", "单活胎", "妊娠期糖尿病？", "")
        if (tail := rng.choice(extra)) and (weeks >= 24 or "糖尿病" not in tail):
            diag += f" {tail}"
        dept = "产科病区" if inpatient else "产科门诊"
        return Visit(dept, diag, inpatient, weeks, days, gravida, para, lmp)
    if age is not None and age >= 45 and rng.random() < 0.7:
        return Visit("更年期保健门诊", rng.choice(("围绝经期综合征", "绝经后骨质疏松？")), False)
    diag = rng.choice(("子宫肌瘤", "术前检查", "月经不调", "盆腔炎性疾病"))
    return Visit("妇科门诊", diag, False)


def _trimester(weeks: int) -> int:
    return 0 if weeks <= 13 else 1 if weeks <= 27 else 2


def _own(case: Case, key: str, name: str, code: str, value: float, dp: int, unit: str,
         bounds: Bounds | None, section: str, text: str = "") -> Row:  # fmt: skip
    """A page's own row, its range text ``text`` when given (the cut-offs' "<5.1")."""
    row = page_extra(case, key, name, value, dp, unit, bounds, section)
    row["code"] = code
    if text:
        row["range"] = text
    return row


HAEM_T = ("wbc", "x_wbc", "x_neut", "x_lym", "rbc", "x_rbc", "haemoglobin", "x_hgb", "x_hct")
HAEM_T += ("mcv", "platelets", "x_mpv")


def _reports_t(case: Case, visit: Visit, rng: random.Random, bracketed: str,
               ) -> list[tuple[str, str, list[Row]]]:  # fmt: skip
    """The reports (title, specimen, rows): 生化, then 甲状腺功能, 乙肝五项, 血常规 and 凝血
    when drawn, each with the rows its analyser adds."""
    rows = {key_of(r): dict(r) for _, rs in sections(case) for r in rs}
    for k, r in rows.items():
        if k in OTHER_BY_KEY and (m := re.search(r"\((.+)\)$", OTHER_BY_KEY[k].zh)):
            r.setdefault("code", m[1])
        elif "analyte" in r:
            r.setdefault("code", FY_CODES[r["analyte"]])

    def add(key: str) -> None:
        name, code, unit, mean, sd, dp, bounds = EXTRAS_T[key]
        section = "coag" if key in ("x_aptt", "x_fib", "x_tt", "x_dd") else "haem"
        rows[key] = _own(case, key, name, code, rng.gauss(mean, sd), dp, unit, bounds, section)

    pregnant = visit.weeks is not None
    ogtt = pregnant and case.style["profile"] == "fy_chem" and 24 <= (visit.weeks or 0) <= 28
    if ogtt:
        fasting = number(rows.pop("glucose")["value"]) if "glucose" in rows else None
        for i, (name, code, mean, sd, cut) in enumerate(OGTT_T):
            value = fasting if i == 0 and fasting else rng.gauss(mean, sd)
            rows[f"x_ogtt{i}"] = _own(case, f"x_ogtt{i}", name, code, value, 2, "mmol/L",
                                      (None, cut), "chem", f"<{cut:.1f}")  # fmt: skip
    if pregnant:
        band = _trimester(visit.weeks or 0)
        for key, bands in TRIMESTER_T.items():
            if key in rows and (v := number(rows[key]["value"])) is not None:
                lo, hi = bands[band]
                way = direction(v, None, lo, hi)
                high, low = FLAG_TEXT[case.style["flag_style"]]
                text = " ".join(f"{w} {a:.2f}-{b:.2f}" if key == "tsh" else f"{w} {a:.1f}-{b:.1f}"
                                for w, (a, b) in zip(("孕早期", "孕中期", "孕晚期"), bands,
                                                     strict=True))  # fmt: skip
                rows[key] |= {"range": text, "flag": high if way == "high" else low
                              if way == "low" else "", "multi": "1"}  # fmt: skip
    if any(k in rows for k in ("wbc", "rbc", "haemoglobin", "mcv", "platelets")):
        real = {"x_wbc": "wbc", "x_rbc": "rbc", "x_hgb": "haemoglobin"}
        for key in ("x_wbc", "x_neut", "x_lym", "x_rbc", "x_hgb", "x_hct", "x_mpv"):
            if real.get(key) in rows or (key == "x_mpv" and "platelets" not in rows):
                continue
            if key in real or key == "x_mpv" or rng.random() < 0.7:
                add(key)
    if "inr" in rows:
        for key in ("x_aptt", "x_fib", "x_tt", "x_dd"):
            if rng.random() < (0.9 if key != "x_dd" else 0.6 if pregnant else 0.2):
                add(key)
    hbv: list[Row] = []
    early = pregnant and (visit.weeks or 0) <= 13
    if case.style["profile"] == "fy_pre" or early or rng.random() < 0.2:
        positive = rng.choices(list(HBV_PATTERNS), list(HBV_PATTERNS.values()))[0].split()
        for name, code in HBV_T:
            pos = code in positive
            hbv.append({"key": f"x_{code}", "name": name, "code": code, "value":
                        "阳性(+)" if pos else "阴性(-)", "unit": "", "range": "阴性",
                        "flag": "", "section": "hbv"})  # fmt: skip
    if bracketed:  # the page's own rows named as the report names its tests
        for r in [*rows.values(), *hbv]:
            if key_of(r).startswith("x_"):
                r["name"] += f"{bracketed[0]}{r['code']}{bracketed[1]}"
    order = {k: i for i, k in enumerate(HAEM_T)}
    groups: dict[str, list[Row]] = {}
    for r in sorted(rows.values(), key=lambda r: order.get(key_of(r), -1)):
        s = r["section"]
        groups.setdefault(s if s in ("thyroid", "haem", "coag") else "chem", []).append(r)
    first = {"fy_liver": "肝功能+总胆汁酸", "fy_chem": "肝肾功能+血糖", "fy_pre": "孕前优生-生化"}
    title = first[case.style["profile"]] + ("+OGTT" if ogtt else "")
    immuno = groups.get("thyroid", []) + hbv
    names = "+".join(n for n, on in (("甲状腺功能", "thyroid" in groups), ("乙肝五项", hbv)) if on)
    out = [(title, "血清", groups.get("chem", []))]
    out += [("血常规", "全血(EDTA-K2)", groups["haem"])] if "haem" in groups else []
    out += [("凝血功能", "血浆(枸橼酸钠)", groups["coag"])] if "coag" in groups else []
    if immuno and len(out) < 3:  # the immunology bench's own report
        out.insert(1, (names, "血清", immuno))
    elif immuno:  # else the chemistry report carries its rows too
        out[0] = (f"{title}+{names}", "血清", out[0][2] + immuno)
    return [x for x in out if x[2]]


def _table_t(rows: list[Row], cols: str, glue: bool) -> str:
    heads = {"code": ["序号", "项目名称", "英文缩写", "结果", "提示", "单位", "参考区间"],
             "plain": ["项目", "结果", "单位", "参考区间"],
             "flaglast": ["检验项目", "结果", "参考值", "单位", "提示"]}[cols]  # fmt: skip
    trs = []
    for i, r in enumerate(rows):
        flag, value = r["flag"], esc(r["value"])
        rng_html = "<br>".join(esc(x) for x in re.findall(r"\S+ \S+", r["range"])) if r.get(
            "multi") else esc(r["range"])  # fmt: skip
        mark = ' class="ab"' if flag else ""
        if cols == "code":
            cells = [f"<td>{i + 1}</td>", f"<td>{esc(r['name'])}</td>",
                     f"<td>{esc(r.get('code', ''))}</td>", f"<td{mark}>{value}</td>",
                     f"<td{mark}>{esc(flag)}</td>", f"<td>{esc(r['unit'])}</td>",
                     f"<td>{rng_html}</td>"]  # fmt: skip
        elif cols == "plain":
            shown = value + (esc(flag) if glue else f" {esc(flag)}") if flag else value
            cells = [f"<td>{esc(r['name'])}</td>", f"<td{mark}>{shown}</td>",
                     f"<td>{esc(r['unit'])}</td>", f"<td>{rng_html}</td>"]  # fmt: skip
        else:
            cells = [f"<td>{esc(r['name'])}</td>", f"<td{mark}>{value}</td>",
                     f"<td>{rng_html}</td>", f"<td>{esc(r['unit'])}</td>",
                     f"<td{mark}>{esc(flag)}</td>"]  # fmt: skip
        trs.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f"<th>{x}</th>" for x in heads)
    return f'<table class="res"><thead><tr>{head}</tr></thead><tbody>{"".join(trs)}</tbody></table>'


def _weeks_text(visit: Visit, rng: random.Random) -> str:
    w, d = visit.weeks, visit.days
    return rng.choice((f"孕{w}+{d}周", f"{w}+{d}周", f"{w}W+{d}D", f"孕{w}周{d}天"))


def render_heldout_t(case: Case, rng: random.Random) -> str:
    h = case.header
    visit = _visit(case, rng)
    alt = case.printed["alt"]["name"]
    bracketed = "（）" if alt.endswith("）") else "()" if alt.endswith(")") else ""
    reports = _reports_t(case, visit, rng, bracketed)
    cols = rng.choice(("plain", "flaglast")) if bracketed else rng.choice(("code", "code", "plain"))
    glue = rng.random() < 0.5
    a5 = rng.random() < 0.45 and max(len(rs) for _, _, rs in reports) <= 17
    font = font_for(case, rng)
    pt = rng.choice((7.6, 8.0)) if a5 else rng.choice((9.0, 9.5, 10.0))
    css = page_css("A5 landscape" if a5 else "A4", "6mm 9mm 6mm" if a5 else "14mm 14mm 16mm",
                   font, pt)  # fmt: skip
    accent = rng.choice(("#c2185b", "#8e244d", "#111111", "#1f4e79"))
    css += (
        f".hosp {{ text-align: center; font-size: 150%; font-weight: bold; color: {accent};"
        " letter-spacing: 2px } .tt { text-align: center; font-size: 125%; letter-spacing: 4px;"
        " margin-bottom: 1.5mm } .info { width: 100%; border-top: 1.2px solid #000;"
        " border-bottom: .8px solid #000; margin-bottom: 1mm; table-layout: fixed } .info td {"
        " padding: .5mm 2mm .5mm 0 } .res { width: 100%; border-bottom: 1.2px solid #000 } .res th"
        " { text-align: left; font-weight: normal; border-bottom: .8px solid #000; padding: .6mm"
        " 1.5mm .6mm 0 } .res td { padding: .35mm 1.5mm .35mm 0; vertical-align: top } .ab {"
        " font-weight: bold } .ft { width: 100%; margin-top: 1.5mm } .ft td { padding: .3mm 3mm"
        " .3mm 0; white-space: nowrap } .note { margin-top: 1mm; color: #333; font-size: 90% }"
        " .rep { break-inside: avoid } .pb { break-before: page } .gap { margin-top: 9mm }"
        " .seal { float: right; border:"
        f" 1.4px solid {accent}; color: {accent}; border-radius: 50%; width: 22mm; height: 22mm;"
        " text-align: center; font-size: 70%; padding-top: 8mm; box-sizing: border-box }"
    )
    hospital = rng.choice(HOSPITALS_T)
    number_label = "住院号" if visit.inpatient else rng.choice(("门诊号", "ID号", "就诊卡号"))
    patient_no = digits(rng, rng.choice((8, 10)))
    doctor = rng.choice(DOCTORS_T)
    staff = rng.sample(STAFF_T, 2)
    form = h["collected"]["form"] if h["collected"] else "iso"
    weeks = _weeks_text(visit, rng) if visit.weeks is not None else ""
    preg = []
    if visit.weeks is not None:
        g, p = visit.gravida, visit.para
        preg = [f"孕周：{weeks}", rng.choice((f"孕产次：G{g}P{p}", f"孕产次：孕{g}产{p}"))]
        if visit.lmp is not None:
            edd = visit.lmp + dt.timedelta(days=280)
            preg += [f"末次月经：{format_date(visit.lmp, form)}"]
            preg += [f"预产期：{format_date(edd, form)}"]
    stamps = [(label, text) for label, text in ((o["label"], o["text"]) for o in h["others"])
              if label in EARLIER]  # fmt: skip
    stamps += [(h["collected"]["label"], h["collected"]["text"])] if h["collected"] else []
    stamps += [(o["label"], o["text"]) for o in h["others"] if o["label"] not in EARLIER]
    pages = []
    for i, (items, specimen, rows) in enumerate(reports):
        info = [f"姓名：{h['name']}", f"性别：{h['sex'] or ''}", f"年龄：{h['age'] or ''}",
                f"{number_label}：{patient_no}", f"科室：{visit.dept}"]  # fmt: skip
        info += [f"床号：{rng.randint(1, 60)}"] if visit.inpatient else []
        info += [f"标本类型：{specimen}", f"标本号：{rng.randint(1, 1200)}", f"送检医生：{doctor}"]
        info += preg
        per = 4 if not a5 else 5
        tds = [f"<td>{esc(x)}</td>" for x in info]
        tds += ["<td></td>"] * (-len(tds) % per)
        grid = "".join(f"<tr>{''.join(tds[j : j + per])}</tr>" for j in range(0, len(tds), per))
        half = per // 2
        grid += (f'<tr><td colspan="{half}">临床诊断：{esc(visit.diagnosis)}</td><td colspan='
                 f'"{per - half}">检验项目：{esc(items)}</td></tr>')  # fmt: skip
        foot = [f"<td>{esc(label)}{esc(text)}</td>" for label, text in stamps]
        foot += [f"<td>检验者：{staff[0]}</td>", f"<td>审核者：{staff[1]}</td>"]
        ft = "".join(f"<tr>{''.join(foot[j : j + 3])}</tr>" for j in range(0, len(foot), 3))
        note = "本报告仅对所检标本负责。"
        if visit.weeks is not None:
            note += "孕期部分检验项目参考区间与非孕期不同，请结合临床。"
        seal = f'<div class="seal">{esc(hospital[:4])}<br>检验专用章</div>'
        seal = seal if not a5 and rng.random() < 0.3 else ""
        brk = " pb" if i and a5 else " gap" if i else ""
        pages.append(f'<div class="rep{brk}"><div class="hosp">{esc(hospital)}</div>'
                     f'<div class="tt">检验报告单</div><table class="info">{grid}</table>'
                     f"{_table_t(rows, cols, glue)}<table class=\"ft\">{ft}</table>{seal}"
                     f'<div class="note">{esc(note)}</div></div>')  # fmt: skip
    return document(css, "".join(pages), lang="zh")
