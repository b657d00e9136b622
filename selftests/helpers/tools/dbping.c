// SPDX-License-Identifier: GPL-2.0
/*
 * dbping: ring doorbells back and forth between the two ends of an NTB
 * link through ntb_tool, and time each one. A round trip is: the host
 * rings, the endpoint sees the doorbell (ntb_tool's db_event returns),
 * clears it and rings back, the host sees it and clears it.
 *
 * usage: dbping HOST_TOOL_DIR EP_TOOL_DIR EP_BIT ROUNDS
 *
 * HOST_TOOL_DIR and EP_TOOL_DIR are ntb_tool's debugfs directories of
 * the two devices. The host rings doorbell bit 0; EP_BIT is the mask the
 * endpoint is expected to see (a driver may number doorbells off by one).
 * Prints, in microseconds:
 *   round_trips_per_s R
 *   host_to_ep_us median M p99 P
 *   ep_to_host_us median M p99 P
 * and exits 0; exits 1 when a write fails, 2 on a usage error. A lost
 * doorbell blocks in db_event: run it under timeout(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct tool_files {
	int peer_db;
	int db;
	int db_event;
};

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int open_files(const char *dir, struct tool_files *f)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/peer_db", dir);
	f->peer_db = open(path, O_WRONLY);
	snprintf(path, sizeof(path), "%s/db", dir);
	f->db = open(path, O_WRONLY);
	snprintf(path, sizeof(path), "%s/db_event", dir);
	f->db_event = open(path, O_WRONLY);
	if (f->peer_db < 0 || f->db < 0 || f->db_event < 0) {
		fprintf(stderr, "dbping: cannot open ntb_tool files in %s: %s\n",
			dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int put(int fd, const char *text)
{
	ssize_t len = strlen(text);

	if (pwrite(fd, text, len, 0) != len) {
		fprintf(stderr, "dbping: write \"%s\": %s\n", text, strerror(errno));
		return -1;
	}
	return 0;
}

/* ring: from rings bit ring_mask, to waits until it sees wait_mask */
static int ring_and_wait(struct tool_files *from, struct tool_files *to,
			 const char *ring_mask, const char *wait_mask)
{
	char clear[32];

	snprintf(clear, sizeof(clear), "c %s", wait_mask);
	if (put(from->peer_db, ring_mask) || put(to->db_event, wait_mask))
		return -1;
	return put(to->db, clear);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static void print_latency(const char *name, long long *us, int n)
{
	qsort(us, n, sizeof(*us), cmp_ll);
	printf("%s median %lld p99 %lld\n", name, us[n / 2], us[(n * 99) / 100]);
}

int main(int argc, char **argv)
{
	struct tool_files host, ep;
	long long *to_ep, *to_host, start, t0, t1, t2;
	int rounds, i;

	if (argc != 5 || atoi(argv[4]) < 1) {
		fprintf(stderr, "usage: dbping HOST_TOOL_DIR EP_TOOL_DIR EP_BIT ROUNDS\n");
		return 2;
	}
	rounds = atoi(argv[4]);
	to_ep = calloc(rounds, sizeof(*to_ep));
	to_host = calloc(rounds, sizeof(*to_host));
	if (!to_ep || !to_host || open_files(argv[1], &host) ||
	    open_files(argv[2], &ep))
		return 1;

	start = now_us();
	for (i = 0; i < rounds; i++) {
		t0 = now_us();
		if (ring_and_wait(&host, &ep, "s 0x1", argv[3]))
			return 1;
		t1 = now_us();
		if (ring_and_wait(&ep, &host, "s 0x1", "0x1"))
			return 1;
		t2 = now_us();
		to_ep[i] = t1 - t0;
		to_host[i] = t2 - t1;
	}
	printf("round_trips_per_s %lld\n",
	       rounds * 1000000LL / (now_us() - start + 1));
	print_latency("host_to_ep_us", to_ep, rounds);
	print_latency("ep_to_host_us", to_host, rounds);
	return 0;
}
