package dev.agentetl.progress;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.temporal.ChronoUnit;

/**
 * Progress as a bar on the terminal (me.tongfei:progressbar, redrawn in place on stderr a few times a second by
 * its own thread): percent, done/total, rate, elapsed and ETA; without a total, done and rate.
 */
final class TerminalBar implements Progress {

    private final ProgressBar bar;

    TerminalBar(String task, String unit, long total) {
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total > 0 ? total : -1)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .build();
    }

    @Override public void step(long n) { bar.stepBy(n); }

    @Override
    public void stepTo(long done) {
        if (done > bar.getCurrent()) bar.stepTo(done);
    }

    @Override public void total(long total) { if (total > 0) bar.maxHint(total); }
    @Override public void note(String note) { bar.setExtraMessage(note == null ? "" : " " + note); }
    @Override public long done() { return bar.getCurrent(); }

    @Override
    public void close() {
        // a total that was an estimate is made true, so the finished bar shows 100 %
        if (bar.getMax() > 0 && bar.getCurrent() != bar.getMax()) bar.maxHint(bar.getCurrent());
        bar.close();
    }
}
