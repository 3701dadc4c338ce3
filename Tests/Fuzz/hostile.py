#!/usr/bin/env python3
"""Hostile inputs of a given size, for measuring that check and eval stay linear.

    python3 Tests/Fuzz/hostile.py OUT_DIR [SCALE [NAME...]]

writes into OUT_DIR (SCALE multiplies every size; 1 gives the sizes of issue 10; NAMEs such as
`rows line` write only those):
  indicators.rules     a valid ruleset of 25,000 indicators
  syntax.rules         64,000 lines, each with one syntax error
  lexical.rules        4,000 lines, each with a lexical and a syntax error
  rows.json            a project table of 10,000 rows (for Rules/shenzhen-project-2023.rules)
  line.rules           one line of 25,000,000 tokens
  folder/              10,000 data files (for Rules/shenzhen-department-2019.rules)
Then, with the release build: .build/release/jixiao check OUT_DIR/indicators.rules, and so on.
"""
import os
import sys

out = sys.argv[1]
scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
n = lambda count: max(1, int(count * scale))
os.makedirs(out, exist_ok=True)
repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


only = sys.argv[3:]
wanted = lambda name: not only or name in only


def write(name, text):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(text)


count = n(25_000) if wanted("indicators") else 0
lines = [f'规则集 "大" {{\n  满分 {count}\n  精度 2\n  等级 {{ 优 ≥ {count * 9 // 10}；差 }}\n']
for i in range(count):
    lines.append(f'  指标 指标{i} 1 {{\n    输入 甲{i}：百分比 "甲"\n    得分 = 封顶（甲{i} × 1，1）\n  }}\n')
lines.append("}\n")
if count:
    write("indicators.rules", "".join(lines))

if wanted("syntax"):
    write("syntax.rules", '规则集 "错" {\n  满分 1\n' + "  设 = 1\n" * n(64_000) + "}\n")

if wanted("lexical"):
    lines = [f"  设 ¤ 甲{i} = = 1\n" for i in range(n(4_000))]
    write("lexical.rules", '规则集 "错" {\n  满分 1\n' + "".join(lines) + "}\n")

# The rows carry their groups' points exactly (产出 50, 效益 30, 满意度 10), so the table scores.
rows = []
count = n(10_000) if wanted("rows") else 0
groups = [("产出指标", 50, count // 2), ("效益指标", 30, count // 4), ("满意度指标", 10, count - count // 2 - count // 4)]
for level, total, size in groups:
    for i in range(size):
        points = f"{total / size:.6f}" if i < size - 1 else f"{total - round(total / size, 6) * (size - 1):.6f}"
        rows.append(
            f'{{"level1": "{level}", "level2": "数量指标", "name": "行{len(rows)}", "target": "≥10台", '
            f'"actual": "{i % 12}台", "points": {points}}}'
        )
if count:
    write(
        "rows.json",
        '{\n  "rules": "' + os.path.join(repo, "Rules/shenzhen-project-2023.rules") + '",\n'
        '  "subject": "大表", "year": 2023,\n'
        '  "project": {"code": "1", "name": "大表"},\n'
        '  "inputs": {"全年预算数": "100.00", "全年执行数": "90.00"},\n'
        '  "rows": [\n    ' + ",\n    ".join(rows) + "\n  ]\n}\n",
    )

if wanted("line"):
    tokens = n(25_000_000)
    write("line.rules", '规则集 "长" { 满分 1 指标 甲 1 { 得分 = ' + "1 " * (tokens - 14) + "} }\n")

if wanted("folder"):
    folder = os.path.join(out, "folder")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(repo, "Examples/dapeng-2021.json"), encoding="utf-8") as f:
        dapeng = f.read().replace('"../Rules/', '"' + os.path.join(repo, "Rules") + "/")
    for i in range(n(10_000)):
        with open(os.path.join(folder, f"{i:05d}.json"), "w", encoding="utf-8") as f:
            f.write(dapeng)
