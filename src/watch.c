#include "watch.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "delta.h"
#include "clock.h"
#include "exit_codes.h"
#include "figures.h"
#include "view.h"

/* getch() wakes at least this often, to notice signals. */
#define MAX_WAIT_MS 250

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static double wall_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct watch {
	const struct settings *settings;
	struct collector *collector;
	const struct host_info *host;
	struct report_style style;
	struct reader reader;

	struct snapshot baseline, prev, cur;
	bool have_prev;
	double started, prev_at, cur_at;
	uint64_t self_per_refresh;

	/* What the keys change. */
	bool paused, show_zero, show_help, since_reset, utf8;
	/* The host's counters went back: at the last sample, and ever. */
	bool counter_reset, since_counter_reset;
	double interval;
	int scroll;
};

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must cut a wait short. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/*
 * Takes a new sample; the previous one becomes prev.  When the host's
 * counters went back, what came before means nothing: the baseline and
 * prev become zeros from the start of this sample.
 */
static bool sample(struct watch *w)
{
	struct snapshot next;
	uint64_t issued = w->collector->issued;

	if (!snapshot_take(&w->reader, &next))
		return false;
	w->self_per_refresh = w->collector->issued - issued;
	if (w->have_prev)
		snapshot_free(&w->prev);
	w->prev = w->cur;
	w->prev_at = w->cur_at;
	w->have_prev = w->cur.reasons != NULL;
	w->cur = next;
	w->cur_at = monotonic_seconds();
	w->counter_reset = next.reset;
	if (!next.reset)
		return true;
	w->since_counter_reset = true;
	w->since_reset = false;
	snapshot_free(&w->baseline);
	if (!snapshot_zero_like(&next, next.started_at, &w->baseline))
		return false;
	if (w->have_prev) {
		snapshot_free(&w->prev);
		w->have_prev = snapshot_copy(&w->baseline, &w->prev);
		if (!w->have_prev)
			return false;
	}
	return true;
}

/* Since-baseline figures with the last interval's exits in .recent. */
static bool build_rows(struct watch *w, struct snapshot *since,
		       struct snapshot *recent)
{
	size_t i;

	if (!snapshot_delta(&w->baseline, &w->cur, w->settings->include_self,
			    since))
		return false;
	if (!w->have_prev) {
		memset(recent, 0, sizeof(*recent));
		return true;
	}
	if (!snapshot_delta(&w->prev, &w->cur, w->settings->include_self,
			    recent)) {
		snapshot_free(since);
		return false;
	}
	figures_settle(recent);
	for (i = 0; i < since->count; i++)
		since->reasons[i].recent = recent->reasons[i].exits;
	since->total_recent = recent->total_exits;
	since->other_recent = recent->other_exits;
	return true;
}

/* What a report's header says of the figures' span. */
static void describe_span(const struct watch *w, struct report_style *style)
{
	style->since = w->since_counter_reset ? SINCE_COUNTER_RESET
		       : w->since_reset	      ? SINCE_VIEW_RESET
						      : SINCE_VM_START;
	style->counter_reset = w->counter_reset;
	style->include_self = w->settings->include_self;
	style->self_exits = w->cur.self_at_total_read -
			    w->baseline.self_at_total_read;
	style->self_cost = w->cur.self_cost;
}

/* --reason lists what it lists; otherwise 0-75 and what has exits. */
static enum run_mode view_rows(const struct watch *w)
{
	return w->settings->mode == MODE_REASONS ? MODE_REASONS : MODE_ALL;
}

static bool reset_baseline(struct watch *w)
{
	snapshot_free(&w->baseline);
	w->since_reset = true;
	w->since_counter_reset = false;
	w->scroll = 0;
	return snapshot_copy(&w->cur, &w->baseline);
}

static bool draw(struct watch *w, struct sink *k)
{
	struct snapshot since, recent;
	struct view_model m = {
		.host = w->host,
		.style = &w->style,
		.since = &since,
		.interval = w->interval,
		.uptime = monotonic_seconds() - w->started,
		.since_reset = w->since_reset,
		.since_counter_reset = w->since_counter_reset,
		.counter_reset = w->counter_reset,
		.include_self = w->settings->include_self,
		.self_per_refresh = w->self_per_refresh,
		.paused = w->paused,
		.show_zero = w->show_zero,
		.show_help = w->show_help,
		.utf8 = w->utf8,
	};
	int visible, room;

	if (!build_rows(w, &since, &recent))
		return false;
	if (w->have_prev) {
		m.last_seconds = w->cur_at - w->prev_at;
		m.recent_exits = recent.total_exits;
		m.recent_cycles = recent.total_cycles;
		m.recent_other = recent.other_exits;
		snapshot_free(&recent);
	}
	figures_present(&since, view_rows(w), true, w->style.sort);
	if (k->curses) {
		visible = view_visible_rows(&m);
		room = k->rows - VIEW_HEADER_LINES;
		if (room < 1)
			room = 1;
		if (w->scroll > visible - room)
			w->scroll = visible - room;
		if (w->scroll < 0)
			w->scroll = 0;
		m.scroll = w->scroll;
		erase();
	}
	view_draw(k, &m);
	snapshot_free(&since);
	if (k->curses)
		refresh(); /* sends only what changed on the screen */
	return true;
}

/*
 * Batch json/csv: one object (or rows) per update, with the same figures
 * as the view: since the baseline, rates over the last interval.
 */
static bool print_interval(struct watch *w, bool first)
{
	struct report_style style = w->style;
	struct snapshot since, recent;

	if (!build_rows(w, &since, &recent))
		return false;
	if (w->have_prev)
		snapshot_free(&recent);
	figures_present(&since, w->settings->mode,
			w->settings->mode != MODE_REASONS ||
				w->settings->sort_given,
			style.sort);
	style.seconds = w->cur_at - w->prev_at;
	style.timestamp = wall_clock();
	style.no_csv_header = !first;
	describe_span(w, &style);
	report_snapshot(stdout, w->host, &since, &style, NULL);
	snapshot_free(&since);
	return true;
}

static void sleep_until(double when)
{
	double left = when - monotonic_seconds();
	struct timespec ts;

	if (left <= 0)
		return;
	ts.tv_sec = (time_t)left;
	ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL); /* a signal ends it early: the loop checks */
}

static int run_batch(struct watch *w)
{
	struct sink k = { .curses = false, .plain = stdout };
	double next = w->cur_at + w->interval;
	uint64_t done = 0;

	while (!stop_signal) {
		sleep_until(next);
		if (stop_signal)
			break;
		if (!sample(w))
			return EXITSTAT_FAILURE;
		/*
		 * Keep the pace, but after a stall (a stopped process, a guest
		 * whose clock jumped) start again from now rather than catch
		 * up with a burst of near-empty intervals.
		 */
		next += w->interval;
		if (next < w->cur_at)
			next = w->cur_at + w->interval;
		if (w->style.format == FORMAT_TABLE) {
			if (done)
				fputc('\n', stdout);
			if (!draw(w, &k))
				return EXITSTAT_FAILURE;
		} else if (!print_interval(w, done == 0)) {
			return EXITSTAT_FAILURE;
		}
		if (fflush(stdout) != 0 || ferror(stdout))
			return EXITSTAT_FAILURE;
		if (++done == w->settings->iterations)
			break;
	}
	return EXITSTAT_OK;
}

static const enum sort_key sort_cycle[] = {
	SORT_REASON, SORT_NAME, SORT_COUNT, SORT_RATE, SORT_TIME, SORT_AVG,
};
#define NSORT (sizeof(sort_cycle) / sizeof(sort_cycle[0]))

static void step_sort(struct watch *w, int step)
{
	size_t i;

	for (i = 0; i < NSORT; i++)
		if (sort_cycle[i] == w->style.sort)
			break;
	i = (i + NSORT + (size_t)(step + (int)NSORT)) % NSORT;
	w->style.sort = sort_cycle[i];
}

/* Handles one key; returns false to quit. */
static bool handle_key(struct watch *w, int key, int page)
{
	switch (key) {
	case 'q':
	case 'Q':
		return false;
	case 's':
	case '>':
		step_sort(w, 1);
		break;
	case '<':
		step_sort(w, -1);
		break;
	case 'z':
		w->show_zero = !w->show_zero;
		w->scroll = 0;
		break;
	case 'p':
	case ' ':
		w->paused = !w->paused;
		break;
	case 'r':
		if (!reset_baseline(w))
			return false;
		break;
	case '+':
		w->interval = w->interval * 2 > INTERVAL_MAX ? INTERVAL_MAX
							     : w->interval * 2;
		break;
	case '-':
		w->interval = w->interval / 2 < INTERVAL_MIN ? INTERVAL_MIN
							     : w->interval / 2;
		break;
	case 'h':
	case '?':
		w->show_help = !w->show_help;
		break;
	case KEY_UP:
		w->scroll--;
		break;
	case KEY_DOWN:
		w->scroll++;
		break;
	case KEY_PPAGE:
		w->scroll -= page;
		break;
	case KEY_NPAGE:
		w->scroll += page;
		break;
	case KEY_HOME:
		w->scroll = 0;
		break;
	}
	return true;
}

static int run_curses(struct watch *w, SCREEN *screen)
{
	struct sink k = { .curses = true };
	double next = w->cur_at + w->interval;
	uint64_t done = 0;
	long shown_second = -1, second;
	bool dirty = true;
	int status = EXITSTAT_OK, key, wait_ms;

	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	for (;;) {
		/* Draw on news only: a sample, a key, or the uptime's next second. */
		second = (long)(monotonic_seconds() - w->started);
		if (dirty || second != shown_second) {
			getmaxyx(stdscr, k.rows, k.cols);
			if (!draw(w, &k)) {
				status = EXITSTAT_FAILURE;
				break;
			}
			shown_second = second;
			dirty = false;
		}
		if (w->settings->iterations && done >= w->settings->iterations)
			break;
		wait_ms = (int)((next - monotonic_seconds()) * 1000);
		if (w->paused || wait_ms > MAX_WAIT_MS)
			wait_ms = MAX_WAIT_MS;
		timeout(wait_ms < 0 ? 0 : wait_ms);
		key = getch();
		if (stop_signal)
			break;
		if (key != ERR) {
			dirty = true;
			if (key != KEY_RESIZE &&
			    !handle_key(w, key, k.rows - VIEW_HEADER_LINES))
				break;
		}
		if (w->paused) {
			next = monotonic_seconds() + w->interval;
			continue;
		}
		if (monotonic_seconds() >= next) {
			if (!sample(w)) {
				status = EXITSTAT_FAILURE;
				break;
			}
			done++;
			dirty = true;
			next = w->cur_at + w->interval;
		}
	}
	endwin();
	delscreen(screen);
	return status;
}

int watch_run(const struct settings *s, struct collector *c,
	      const struct host_info *host, const struct report_style *style,
	      const uint16_t *reasons, size_t nreasons)
{
	struct watch w = {
		.settings = s,
		.collector = c,
		.host = host,
		.style = *style,
		.interval = s->interval,
		.show_zero = s->mode != MODE_SUMMARY,
	};
	SCREEN *screen = NULL;
	int status;

	install_signals();
	w.started = monotonic_seconds();
	if (!reader_init(&w.reader, c, reasons, nreasons, host->wide_counts) ||
	    !sample(&w) || !snapshot_zero_like(&w.cur, 0, &w.baseline)) {
		fputs("exitstat: out of memory\n", stderr);
		reader_free(&w.reader);
		snapshot_free(&w.cur);
		return EXITSTAT_FAILURE;
	}
	if (!s->batch && isatty(STDOUT_FILENO)) {
		/* Only the character type: numbers keep their '.' everywhere. */
		setlocale(LC_CTYPE, "");
		w.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
		screen = newterm(NULL, stdout, stdin);
	}
	/* A terminal that curses cannot drive gets plain lines, like batch. */
	if (screen)
		status = run_curses(&w, screen);
	else
		status = run_batch(&w);

	reader_free(&w.reader);
	snapshot_free(&w.baseline);
	snapshot_free(&w.cur);
	if (w.have_prev)
		snapshot_free(&w.prev);
	if (status == EXITSTAT_FAILURE && !ferror(stdout))
		fputs("exitstat: out of memory\n", stderr);
	return status;
}
