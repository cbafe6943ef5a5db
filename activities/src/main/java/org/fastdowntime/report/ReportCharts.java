package org.fastdowntime.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Date;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.time.Millisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * The report's charts (JFreeChart, drawn headless): cycle time over time and outage per window,
 * with the goals.
 */
public final class ReportCharts {
    public static final int WIDTH = 960;
    public static final int HEIGHT = 420;

    private ReportCharts() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Lead time (landing → applied) of every patch, in hours, against the 24-hour goal. */
    public static JFreeChart leadTime(CycleTimeReport r) {
        TimeSeries s = new TimeSeries("lead time (h)");
        for (History.PatchRow p : r.patches()) {
            s.addOrUpdate(new Millisecond(Date.from(p.applied())), p.leadHours());
        }
        return chart(
                "Cycle time: landing → applied, per patch (" + r.environment() + ")",
                "hours",
                s,
                r.goals().leadHours(),
                "goal: " + (int) r.goals().leadHours() + " h");
    }

    /** Outage (gate closed → open) of every window, in seconds, against the 5-minute goal. */
    public static JFreeChart outage(CycleTimeReport r) {
        TimeSeries s = new TimeSeries("outage (s)");
        for (History.WindowRow w : r.windows()) {
            s.addOrUpdate(new Millisecond(Date.from(w.windowStart())), w.outageMillis() / 1000.0);
        }
        return chart(
                "Outage per window (" + r.environment() + ")",
                "seconds",
                s,
                r.goals().outageSeconds(),
                "goal: " + (int) (r.goals().outageSeconds() / 60) + " min");
    }

    private static JFreeChart chart(String title, String unit, TimeSeries s, double goal, String goalLabel) {
        JFreeChart chart = ChartFactory.createTimeSeriesChart(
                title, "time (UTC)", unit, new TimeSeriesCollection(s), true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4));
        plot.setRenderer(renderer);
        ValueMarker marker = new ValueMarker(goal, new Color(0xd6, 0x27, 0x28), new BasicStroke(2f));
        marker.setLabel(goalLabel);
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(marker);
        double max = s.getItemCount() == 0 ? goal : s.getMaxY();
        plot.getRangeAxis().setRange(0, Math.max(max, goal) * 1.15);
        return chart;
    }

    public static byte[] png(JFreeChart chart) throws IOException {
        BufferedImage img = chart.createBufferedImage(WIDTH, HEIGHT);
        return encode(img);
    }

    /** Both charts, one above the other: the PNG export. */
    public static byte[] combinedPng(CycleTimeReport r) throws IOException {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT * 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            leadTime(r).draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
            outage(r).draw(g, new Rectangle2D.Double(0, HEIGHT, WIDTH, HEIGHT));
        } finally {
            g.dispose();
        }
        return encode(img);
    }

    private static byte[] encode(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
