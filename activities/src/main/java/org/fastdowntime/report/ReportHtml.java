package org.fastdowntime.report;

import java.io.IOException;
import java.util.Base64;
import java.util.Locale;

/**
 * The report as one self-contained HTML page: the charts inline, then the tables their figures come
 * from.
 */
public final class ReportHtml {
    private ReportHtml() {}

    public static String render(CycleTimeReport r) throws IOException {
        StringBuilder b = new StringBuilder();
        head(b, r);
        img(
                b,
                "chart-lead-time",
                "Cycle time per patch against the 24-hour goal",
                ReportCharts.png(ReportCharts.leadTime(r)));
        img(b, "chart-outage", "Outage per window against the 5-minute goal", ReportCharts.png(ReportCharts.outage(r)));
        periods(b, "weeks", "Per week", r.weeks(), r);
        periods(b, "months", "Per month", r.months(), r);
        windows(b, r);
        patches(b, r);
        b.append("</body></html>\n");
        return b.toString();
    }

    /** The page's head, title, goals and summary line. */
    private static void head(StringBuilder b, CycleTimeReport r) {
        b.append("<!DOCTYPE html>\n" + "<html lang=\"en\"><head><meta charset=\"utf-8\">\n" + "<title>fastdowntime: ")
                .append(esc(r.environment()))
                .append(" cycle time</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em"
                        + " 0}")
                .append("td,th{border:1px solid #ccc;padding:.25em" + " .6em;text-align:right}th{background:#f4f4f4}")
                .append("td.l,th.l{text-align:left}.over{color:#b00;font-weight:bold}</style></head><body>\n");
        b.append("<h1>Cycle time of ")
                .append(esc(r.environment()))
                .append("</h1>\n<p>Since ")
                .append(r.since())
                .append(", generated ")
                .append(r.generated())
                .append(". Goals: patches in production within ")
                .append(fmt(r.goals().leadHours()))
                .append(" h of landing; outages under ")
                .append(fmt(r.goals().outageSeconds() / 60))
                .append(" min.</p>\n");
        double[] lead =
                r.patches().stream().mapToDouble(History.PatchRow::leadHours).toArray();
        double[] outage =
                r.windows().stream().mapToDouble(w -> w.outageMillis() / 1000.0).toArray();
        b.append("<p id=\"summary\">")
                .append(r.windows().size())
                .append(" window(s), ")
                .append(r.patches().size())
                .append(" patch(es). Lead time p50 <span id=\"lead-p50\">")
                .append(fmt(CycleTimeReport.percentile(lead, .5)))
                .append("</span> h, p95 <span id=\"lead-p95\">")
                .append(fmt(CycleTimeReport.percentile(lead, .95)))
                .append("</span> h. Outage p50 <span id=\"outage-p50\">")
                .append(fmt(CycleTimeReport.percentile(outage, .5)))
                .append("</span> s, max <span id=\"outage-max\">")
                .append(fmt(CycleTimeReport.percentile(outage, 1)))
                .append("</span> s.</p>\n");
    }

    private static void windows(StringBuilder b, CycleTimeReport r) {
        b.append("<h2>Windows</h2>\n"
                        + "<table id=\"windows\"><tr><th class=\"l\">window</th><th"
                        + " class=\"l\">deployment</th>")
                .append("<th>outage (ms)</th><th>patches (s)</th><th>sessions ended</th><th" + " class=\"l\">gate</th>")
                .append("<th class=\"l\">applied</th><th class=\"l\">outcome</th></tr>\n");
        for (History.WindowRow w : r.windows()) {
            b.append("<tr data-deployment=\"")
                    .append(esc(w.deploymentId()))
                    .append("\"><td class=\"l\">")
                    .append(w.windowStart())
                    .append("</td><td class=\"l\">")
                    .append(esc(w.deploymentId()))
                    .append("</td><td class=\"outage-ms")
                    .append(w.outageMillis() > r.goals().outageSeconds() * 1000 ? " over" : "")
                    .append("\">")
                    .append(w.outageMillis())
                    .append("</td><td>")
                    .append(fmt(w.patchSeconds()))
                    .append("</td><td>")
                    .append(w.sessionsKicked())
                    .append("</td><td class=\"l\">")
                    .append(esc(w.gate()))
                    .append("</td><td class=\"l\">")
                    .append(esc(String.join(", ", w.applied())))
                    .append("</td><td class=\"l\">")
                    .append(esc(w.outcome()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void patches(StringBuilder b, CycleTimeReport r) {
        b.append("<h2>Patches</h2>\n"
                        + "<table id=\"patches\"><tr><th class=\"l\">patch</th><th class=\"l\">landed</th>")
                .append("<th class=\"l\">from</th><th class=\"l\">applied</th><th>lead time (h)</th><th"
                        + " class=\"l\">deployment</th></tr>\n");
        for (History.PatchRow p : r.patches()) {
            b.append("<tr data-patch=\"")
                    .append(esc(p.id()))
                    .append("\"><td class=\"l\">")
                    .append(esc(p.id()))
                    .append("</td><td class=\"l\">")
                    .append(p.landed())
                    .append("</td><td class=\"l\">")
                    .append(esc(p.landedFrom()))
                    .append("</td><td class=\"l\">")
                    .append(p.applied())
                    .append("</td><td class=\"lead-h")
                    .append(p.leadHours() > r.goals().leadHours() ? " over" : "")
                    .append("\">")
                    .append(fmt(p.leadHours()))
                    .append("</td><td class=\"l\">")
                    .append(esc(p.deploymentId()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void img(StringBuilder b, String id, String alt, byte[] png) {
        b.append("<figure><img id=\"")
                .append(id)
                .append("\" alt=\"")
                .append(esc(alt))
                .append("\" width=\"")
                .append(ReportCharts.WIDTH)
                .append("\" height=\"")
                .append(ReportCharts.HEIGHT)
                .append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png))
                .append("\"><figcaption>")
                .append(esc(alt))
                .append("</figcaption></figure>\n");
    }

    private static void periods(
            StringBuilder b, String id, String title, java.util.List<CycleTimeReport.Period> rows, CycleTimeReport r) {
        b.append("<h2>")
                .append(title)
                .append("</h2>\n<table id=\"")
                .append(id)
                .append("\"><tr><th class=\"l\">period</th>")
                .append("<th>windows</th><th>patches</th><th>lead p50 (h)</th><th>lead p95 (h)</th><th>outage"
                        + " p50 (s)</th>")
                .append("<th>outage p95 (s)</th><th>outage max (s)</th></tr>\n");
        for (CycleTimeReport.Period p : rows) {
            b.append("<tr><td class=\"l\">")
                    .append(p.period())
                    .append("</td><td>")
                    .append(p.windows())
                    .append("</td><td>")
                    .append(p.patches())
                    .append("</td><td>")
                    .append(fmt(p.leadP50Hours()))
                    .append("</td><td")
                    .append(p.leadP95Hours() > r.goals().leadHours() ? " class=\"over\"" : "")
                    .append(">")
                    .append(fmt(p.leadP95Hours()))
                    .append("</td><td>")
                    .append(fmt(p.outageP50Seconds()))
                    .append("</td><td>")
                    .append(fmt(p.outageP95Seconds()))
                    .append("</td><td>")
                    .append(fmt(p.outageMaxSeconds()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
