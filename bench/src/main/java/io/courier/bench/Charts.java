package io.courier.bench;

import org.HdrHistogram.Histogram;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two pictures of a run for the docs, drawn with Java2D (headless): latency by percentile (the
 * HdrHistogram plot: x is 1/(1-percentile) on a log scale, so the tail gets room) and deliveries per
 * second over time.
 */
final class Charts {
    private static final int W = 900;
    private static final int H = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] SERIES = {new Color(0x1f77b4), new Color(0xd62728)};

    private Charts() {
    }

    record Series(String name, List<double[]> points) {
    }

    static void latency(Path file, String title, Histogram endToEnd, Histogram ack) throws IOException {
        List<Series> series = new ArrayList<>();
        series.add(percentileSeries("end to end", endToEnd));
        if (ack != null && ack.getTotalCount() > 0) {
            series.add(percentileSeries("ack", ack));
        }
        draw(file, title, "percentile", "latency (ms)", series, true);
    }

    static void throughput(Path file, String title, List<long[]> timeline) throws IOException {
        List<double[]> delivered = new ArrayList<>();
        List<double[]> acked = new ArrayList<>();
        int t = 0;
        for (long[] p : timeline) {
            if (p[0] < 0) {
                continue; // the partial second after the end
            }
            t++;
            delivered.add(new double[]{t, p[1]});
            acked.add(new double[]{t, p[2]});
        }
        draw(file, title, "second", "per second", List.of(new Series("delivered", delivered), new Series("acked", acked)), false);
    }

    private static Series percentileSeries(String name, Histogram h) {
        List<double[]> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return new Series(name, points);
        }
        for (double p : new double[]{0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999}) {
            points.add(new double[]{Math.log10(1 / (1 - p / 100.0)), h.getValueAtPercentile(p) / 1000.0});
        }
        return new Series(name, points);
    }

    private static void draw(Path file, String title, String xLabel, String yLabel, List<Series> series, boolean percentileAxis)
            throws IOException {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double maxX = 1;
        double maxY = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        maxY = maxY <= 0 ? 1 : maxY * 1.1;
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotH - i * plotH / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT + 1, y, LEFT + plotW - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(format(maxY * i / 5), 8, y + 4);
        }
        if (percentileAxis) {
            String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
            for (int i = 0; i < labels.length && i <= maxX; i++) {
                int x = LEFT + (int) (i / maxX * plotW);
                g.drawString(labels[i], x - 12, TOP + plotH + 18);
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                int x = LEFT + i * plotW / 5;
                g.drawString(format(maxX * i / 5), x - 8, TOP + plotH + 18);
            }
        }
        g.drawString(xLabel, LEFT + plotW / 2 - 20, H - 15);
        g.drawString(yLabel, 8, TOP - 10);
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < series.size(); s++) {
            Series one = series.get(s);
            g.setColor(SERIES[s % SERIES.length]);
            int px = -1;
            int py = -1;
            for (double[] p : one.points()) {
                int x = LEFT + (int) (p[0] / maxX * plotW);
                int y = TOP + plotH - (int) (p[1] / maxY * plotH);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(LEFT + plotW - 150, TOP + 10 + s * 18, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(one.name(), LEFT + plotW - 132, TOP + 21 + s * 18);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static String format(double v) {
        return v >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }
}
