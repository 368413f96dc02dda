#include "watch.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "delta.h"
#include "clock.h"
#include "exit_codes.h"
#include "figures.h"
#include "hostview.h"
#include "percpu.h"
#include "percpu_panel.h"
#include "history.h"
#include "spark.h"
#include "terminal.h"
#include "view.h"

/* The live view wakes at least this often, to keep its uptime clock. */
#define MAX_WAIT 0.25

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
	struct hostview *hostview; /* --host: snapshots from it instead */
	int failure; /* a status other than out of memory that ended it */
	char failure_text[512]; /* its line, printed once curses has ended */

	struct snapshot baseline, prev, cur;
	bool have_prev;
	double started, prev_at, cur_at;
	uint64_t self_per_refresh;
	/* The live view's last minute; has_history once it is set up. */
	struct history history;
	bool has_history, unrecorded; /* a sample not in it yet */

	/* What the keys change. */
	bool paused, show_zero, show_help, since_reset, utf8;
	/* The host's counters went back: at the last sample, and ever. */
	bool counter_reset, since_counter_reset;
	double interval;
	int scroll;
	int first_column; /* the per-CPU panel's first CPU column shown */

	/* --per-cpu: the columns, read after each sample; c toggles them. */
	struct percpu_sampler *per_cpu;
	bool show_cpus;

	/* Where keys come from in the live view; -1 once there are none. */
	int key_fd;
	int empty_reads; /* in a row: key_fd readable, yet no key */
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
 * A sample failed: out of memory (said at the end), or another status
 * whose line is kept to print once the terminal is restored.
 */
static bool fail(struct watch *w, int status, const char *why)
{
	if (status != EXITSTAT_FAILURE) {
		w->failure = status;
		snprintf(w->failure_text, sizeof(w->failure_text), "%s", why);
	}
	return false;
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
	int status;

	if (w->hostview) {
		status = hostview_take(w->hostview, &next);
		if (status != EXITSTAT_OK)
			return fail(w, status, w->hostview->error);
	} else {
		/* The VM's reads on the first column's CPU: see percpu_sampler_new. */
		if (w->per_cpu &&
		    (status = percpu_sampler_pin_first(w->per_cpu)) != EXITSTAT_OK)
			return fail(w, status, percpu_sampler_error(w->per_cpu));
		if (!snapshot_take(&w->reader, &next))
			return false;
		if (w->per_cpu &&
		    (status = percpu_sampler_take(w->per_cpu,
						  monotonic_seconds())) != EXITSTAT_OK) {
			snapshot_free(&next);
			return fail(w, status, percpu_sampler_error(w->per_cpu));
		}
	}
	w->self_per_refresh = w->collector->issued - issued;
	if (w->settings->cpu_given) {
		w->style.one_vcpu = true;
		w->style.cpu = w->settings->cpu;
		w->style.vcpu = next.vcpu;
	}
	if (w->have_prev)
		snapshot_free(&w->prev);
	w->prev = w->cur;
	w->prev_at = w->cur_at;
	w->have_prev = w->cur.reasons != NULL;
	w->cur = next;
	w->cur_at = monotonic_seconds();
	w->counter_reset = next.reset;
	w->unrecorded = w->has_history;
	if (!next.reset)
		return true;
	w->since_counter_reset = true;
	w->since_reset = false;
	snapshot_free(&w->baseline);
	if (w->hostview) {
		/*
		 * A sum over other VMs, or with one VM's counting restarted,
		 * has no zero to count from: the figures start again here, and
		 * rates after the next interval.
		 */
		w->prev_at = w->cur_at;
		if (!snapshot_copy(&next, &w->baseline))
			return false;
		if (w->have_prev) {
			snapshot_free(&w->prev);
			w->have_prev = snapshot_copy(&next, &w->prev);
			return w->have_prev;
		}
		return true;
	}
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

/* Figures since the baseline, the last interval's in the recent fields. */
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
	for (i = 0; i < since->count; i++) {
		since->reasons[i].recent = recent->reasons[i].exits;
		since->reasons[i].recent_cycles = recent->reasons[i].cycles;
	}
	since->total_recent = recent->total_exits;
	since->other_recent = recent->other_exits;
	since->total_recent_cycles = recent->total_cycles;
	since->other_recent_cycles = recent->other_cycles;
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
	if (w->per_cpu && !percpu_sampler_rebase(w->per_cpu))
		return false;
	return snapshot_copy(&w->cur, &w->baseline);
}

/*
 * The last interval into the history, once: the rates the EXITS/S column
 * shows.  After a reset of the host's counters the interval's figures are
 * counts since an unknown moment: a gap, not a rate.
 */
static bool record_history(struct watch *w, const struct snapshot *recent)
{
	struct report_style over_last = w->style;

	w->unrecorded = false;
	over_last.seconds = w->cur_at - w->prev_at;
	return history_record(&w->history, w->prev_at, w->cur_at, recent,
			      host_cpu_percent(recent->total_cycles, &over_last),
			      w->counter_reset);
}

/* The history's series: the reasons read, in the reader's order, and other. */
static bool start_history(struct watch *w)
{
	uint32_t *ids = malloc((w->cur.count + 1) * sizeof(*ids));
	size_t i;

	if (!ids)
		return false;
	for (i = 0; i < w->cur.count; i++)
		ids[i] = w->cur.reasons[i].reason;
	ids[w->cur.count] = HISTORY_OTHER;
	w->has_history = history_init(&w->history, ids, w->cur.count + 1,
				      INTERVAL_MIN);
	free(ids);
	return w->has_history;
}

static bool draw(struct watch *w, struct sink *k)
{
	struct snapshot since, recent;
	struct percpu_table panel;
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
		.panel_available = w->per_cpu != NULL,
		.history = w->has_history ? &w->history : NULL,
	};
	int visible, room;

	if (!build_rows(w, &since, &recent))
		return false;
	if (w->have_prev) {
		m.last_seconds = w->cur_at - w->prev_at;
		m.recent_exits = recent.total_exits;
		m.recent_cycles = recent.total_cycles;
		m.recent_other = recent.other_exits;
		if (w->unrecorded && !record_history(w, &recent)) {
			snapshot_free(&recent);
			snapshot_free(&since);
			return false;
		}
		snapshot_free(&recent);
	}
	figures_present(&since, view_rows(w), true, w->style.sort);
	if (w->per_cpu && w->show_cpus) {
		if (!percpu_sampler_table(w->per_cpu, w->settings->include_self,
					  view_rows(w), true, w->style.sort,
					  &panel)) {
			snapshot_free(&since);
			return false;
		}
		m.panel = &panel;
		m.panel_seconds = percpu_sampler_seconds(w->per_cpu);
	}
	if (k->curses) {
		visible = view_visible_rows(&m);
		room = k->rows - VIEW_HEADER_LINES;
		if (m.panel) {
			visible = percpu_panel_rows(&m, m.panel);
			room -= PERCPU_PANEL_FIXED_LINES;
			/* Left, Right: the CPU columns, as top's wide fields. */
			m.shown_columns = percpu_panel_columns_fit(k->cols);
			if (w->first_column > (int)m.panel->count - m.shown_columns)
				w->first_column = (int)m.panel->count -
						  m.shown_columns;
			if (w->first_column < 0)
				w->first_column = 0;
			m.first_column = w->first_column;
		}
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
	if (m.panel)
		percpu_table_free(&panel);
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
	const char *notes[] = { NULL, NULL };
	char scope[160];

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
	/* --cpu: whose figures, as the one-shot report says. */
	if (w->settings->cpu_given) {
		vcpu_scope(w->settings->cpu, &w->cur, &style, scope,
			   sizeof(scope));
		notes[0] = scope;
	}
	report_snapshot(stdout, w->host, &since, &style, notes);
	snapshot_free(&since);
	return true;
}

/*
 * Sleeps until `when` (monotonic seconds), a signal, or input on key_fd
 * (-1: none); true when there is input.  The stop signals (and SIGWINCH)
 * are blocked from the last look at stop_signal until pselect() unblocks
 * them atomically: one arriving in between cuts the wait short instead of
 * being noticed a whole interval late.
 */
static bool wait_until(double when, int key_fd)
{
	sigset_t blocked, unblocked;
	struct timespec ts;
	double left;
	fd_set keys;
	int ready = 0;

	sigemptyset(&blocked);
	sigaddset(&blocked, SIGINT);
	sigaddset(&blocked, SIGTERM);
	sigaddset(&blocked, SIGHUP);
	sigaddset(&blocked, SIGWINCH);
	sigprocmask(SIG_BLOCK, &blocked, &unblocked);
	left = when - monotonic_seconds();
	if (!stop_signal && left > 0) {
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		FD_ZERO(&keys);
		if (key_fd >= 0)
			FD_SET(key_fd, &keys);
		ready = pselect(key_fd + 1, key_fd >= 0 ? &keys : NULL, NULL,
				NULL, &ts, &unblocked);
	}
	sigprocmask(SIG_SETMASK, &unblocked, NULL);
	return ready > 0;
}

static int run_batch(struct watch *w)
{
	struct sink k = { .curses = false, .plain = stdout };
	double next = w->cur_at + w->interval;
	uint64_t done = 0;

	for (;;) {
		/* Woken early by another signal (SIGCONT, ...): sleep on. */
		while (!stop_signal && monotonic_seconds() < next)
			wait_until(next, -1);
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
	case 'c':
		w->show_cpus = w->per_cpu && !w->show_cpus;
		w->scroll = 0;
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
	case KEY_LEFT:
		w->first_column--;
		break;
	case KEY_RIGHT:
		w->first_column++;
		break;
	}
	return true;
}

/*
 * The next key, waiting until `until` for one; ERR when none came (a
 * signal, the time is up, or the keys ran out).  Keys typed ahead are
 * taken first, so the wait only starts when curses holds none.
 */
static int next_key(struct watch *w, double until)
{
	int key;

	timeout(0);
	key = getch();
	if (key != ERR || stop_signal)
		return key;
	if (!wait_until(until, w->key_fd))
		return getch(); /* KEY_RESIZE after a SIGWINCH, or ERR */
	key = getch();
	/*
	 * Readable, yet no key, again and again: the input is at its end
	 * (stdin from /dev/null with no terminal to read instead, a hung-up
	 * line).  Waiting on it would return at once every time: a busy loop.
	 */
	if (key != ERR || stop_signal)
		w->empty_reads = 0;
	else if (++w->empty_reads == 3)
		w->key_fd = -1;
	return key;
}

static int run_curses(struct watch *w, SCREEN *screen)
{
	struct sink k = { .curses = true };
	double next = w->cur_at + w->interval, until, interval;
	uint64_t done = 0;
	long shown_second = -1, second;
	bool dirty = true;
	int status = EXITSTAT_OK, key;

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
		until = monotonic_seconds() + MAX_WAIT;
		if (!w->paused && next < until)
			until = next;
		key = next_key(w, until);
		if (stop_signal)
			break;
		if (key != ERR) {
			dirty = true;
			interval = w->interval;
			if (key != KEY_RESIZE &&
			    !handle_key(w, key, k.rows - VIEW_HEADER_LINES))
				break;
			/* + and -: the next sample keeps the new pace. */
			if (w->interval != interval)
				next = w->cur_at + w->interval;
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
	      const uint16_t *reasons, size_t nreasons,
	      struct hostview *hostview, struct cpu_pin *pin)
{
	struct watch w = {
		.settings = s,
		.collector = c,
		.host = host,
		.hostview = hostview,
		.style = *style,
		.interval = s->interval,
		.show_zero = s->mode != MODE_SUMMARY,
		.key_fd = -1,
	};
	SCREEN *screen = NULL;
	FILE *keyboard = NULL;
	bool ready;
	int status;

	install_signals();
	w.started = monotonic_seconds();
	if (s->per_cpu) {
		w.per_cpu = percpu_sampler_new(c, pin, reasons, nreasons,
					       host->wide_counts);
		if (!w.per_cpu) {
			fputs("exitstat: out of memory\n", stderr);
			return EXITSTAT_FAILURE;
		}
		w.show_cpus = true;
	}
	ready = reader_init(&w.reader, c, reasons, nreasons, host->wide_counts);
	/* --cpu: the vCPU under the CPU main() pinned the process to. */
	if (ready && s->cpu_given)
		reader_select_vcpu(&w.reader);
	if (!ready || !sample(&w) || !snapshot_zero_like(&w.cur, 0, &w.baseline)) {
		if (w.failure) {
			fprintf(stderr, "exitstat: %s\n", w.failure_text);
			reader_free(&w.reader);
			percpu_sampler_free(w.per_cpu);
			return w.failure;
		}
		fputs("exitstat: out of memory\n", stderr);
		reader_free(&w.reader);
		snapshot_free(&w.cur);
		return EXITSTAT_FAILURE;
	}
	/*
	 * A terminal that curses cannot drive (TERM=dumb: no cursor
	 * addressing) gets plain lines, like batch.
	 */
	if (!s->batch && isatty(STDOUT_FILENO) &&
	    terminal_addresses_cursor(STDOUT_FILENO)) {
		/* Only the character type: numbers keep their '.' everywhere. */
		setlocale(LC_CTYPE, "");
		w.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0 &&
			 !s->ascii && spark_term_has_blocks(getenv("TERM"));
		/* Keys from the terminal even when stdin is redirected, as less(1). */
		keyboard = isatty(STDIN_FILENO) ? stdin : fopen("/dev/tty", "r");
		if (!keyboard)
			keyboard = stdin;
		w.key_fd = fileno(keyboard);
		screen = newterm(NULL, stdout, keyboard);
		if (!screen)
			w.utf8 = false;
	}
	if (screen && !start_history(&w)) {
		endwin();
		delscreen(screen);
		screen = NULL;
		status = EXITSTAT_FAILURE;
	} else if (screen) {
		status = run_curses(&w, screen);
	} else {
		status = run_batch(&w);
	}
	if (keyboard && keyboard != stdin)
		fclose(keyboard);

	reader_free(&w.reader);
	percpu_sampler_free(w.per_cpu);
	if (w.has_history)
		history_free(&w.history);
	snapshot_free(&w.baseline);
	snapshot_free(&w.cur);
	if (w.have_prev)
		snapshot_free(&w.prev);
	/* After endwin(): the line stays on the restored terminal. */
	if (w.failure) {
		fprintf(stderr, "exitstat: %s\n", w.failure_text);
		status = w.failure;
	} else if (status == EXITSTAT_FAILURE && !ferror(stdout)) {
		fputs("exitstat: out of memory\n", stderr);
	}
	/* As a shell reports a process a signal ended: 130 for ^C, 143, 129. */
	if (status == EXITSTAT_OK && stop_signal)
		status = EXITSTAT_SIGNAL_BASE + stop_signal;
	return status;
}
