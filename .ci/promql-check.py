#!/usr/bin/env python3
"""Checks wireport's PromQL against a real Prometheus that scrapes a wireport which has
served traffic.

usage: promql-check.py PROMETHEUS_URL [DASHBOARD_JSON ...]

- Every rule Prometheus has loaded must be healthy and every metric it names must exist
  in Prometheus (a rule on a misspelled or renamed meter would never fire).
- Every query of every dashboard panel, with the dashboard's template variables replaced
  by the values Prometheus gives for them, must be valid and return data.
"""
import json
import re
import sys
import urllib.parse
import urllib.request

# PromQL words that are not metric names.
KEYWORDS = {
    "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile",
    "count_values", "group", "by", "without", "on", "ignoring", "group_left", "group_right",
    "and", "or", "unless", "bool", "offset", "rate", "irate", "increase", "delta", "idelta",
    "histogram_quantile", "clamp_min", "clamp_max", "abs", "absent", "vector", "scalar",
    "time", "label_replace", "label_join", "sort", "sort_desc", "sum_over_time",
    "avg_over_time", "max_over_time", "min_over_time", "last_over_time", "changes", "resets",
    "deriv", "predict_linear", "round", "ceil", "floor", "timestamp",
}


def api(base, path, **params):
    url = base + path + "?" + urllib.parse.urlencode(params, doseq=True)
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)


def metric_names(expr):
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    expr = re.sub(r"\{[^}]*\}", "", expr)
    expr = re.sub(r"\[[^\]]*\]", "", expr)
    expr = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    return {name for name in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr) if name not in KEYWORDS}


def check_rules(base, failures):
    """The rules as Prometheus loaded them: each must be healthy and name only metrics
    that exist."""
    groups = api(base, "/api/v1/rules")["data"]["groups"]
    rules = [rule for group in groups for rule in group["rules"]]
    if not rules:
        failures.append("Prometheus has loaded no rules")
    checked = 0
    for rule in rules:
        if rule.get("health") != "ok":
            failures.append(f"rule {rule['name']}: Prometheus reports it {rule.get('health')}: {rule.get('lastError')}")
        for name in sorted(metric_names(rule["query"])):
            checked += 1
            if not api(base, "/api/v1/series", **{"match[]": name}).get("data"):
                failures.append(f"rule {rule['name']}: no series named {name} in Prometheus")
    print(f"promql-check: {len(rules)} rules loaded and healthy, {checked} metric names they use exist")


def variable_values(base, variable, substitute):
    match = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", substitute(variable["query"]["query"]))
    if not match:
        raise ValueError(f"variable {variable['name']}: only label_values(selector, label) queries are checked")
    selector, label = match.groups()
    series = api(base, "/api/v1/series", **{"match[]": selector}).get("data") or []
    return sorted({s[label] for s in series if label in s})


def check_dashboard(base, dashboard_file, rate_interval, failures):
    dashboard = json.load(open(dashboard_file))
    values = {"__rate_interval": rate_interval}

    def substitute(text):
        # Longest names first, so $tcp_listener is not read as $tcp followed by text.
        for name in sorted(values, key=len, reverse=True):
            text = text.replace("${" + name + "}", values[name]).replace("$" + name, values[name])
        return text

    for variable in dashboard["templating"]["list"]:
        if variable["type"] != "query":
            continue
        found = variable_values(base, variable, substitute)
        if not found:
            failures.append(f"{dashboard_file}: variable ${variable['name']} has no values")
        # As Grafana writes a multi-value variable into a regex matcher: each value
        # regex-escaped, the backslashes doubled for the PromQL string.
        values[variable["name"]] = "(" + "|".join(re.escape(value).replace("\\", "\\\\") for value in found) + ")"
        print(f"promql-check: ${variable['name']} = {values[variable['name']]}")
    queries = 0
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            queries += 1
            expr = substitute(target["expr"])
            if "$" in expr:
                failures.append(f"panel '{panel['title']}' {target['refId']}: unknown variable in {expr}")
                continue
            answer = api(base, "/api/v1/query", query=expr)
            if answer.get("status") != "success":
                failures.append(f"panel '{panel['title']}' {target['refId']}: {answer.get('error')}: {expr}")
            elif not answer["data"]["result"]:
                failures.append(f"panel '{panel['title']}' {target['refId']}: no data: {expr}")
    print(f"promql-check: {queries} queries of {len(dashboard['panels'])} panels run in {dashboard_file}")


def main():
    base, dashboards = sys.argv[1], sys.argv[2:]
    failures = []
    check_rules(base, failures)
    for dashboard_file in dashboards:
        check_dashboard(base, dashboard_file, "1m", failures)
    for failure in failures:
        print("promql-check: FAILED: " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
