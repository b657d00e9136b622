// SPDX-License-Identifier: GPL-2.0
/*
 * tsc-khz: print the host's TSC rate in kHz, measured against
 * CLOCK_MONOTONIC_RAW over 200 ms. Under TCG the guest reads the host's
 * TSC, but cannot calibrate it against an emulated PIT it cannot time:
 * the rig tells the guest this rate, so that it keeps a fine clock.
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
	struct timespec pause = { .tv_nsec = 200000000 };
	unsigned long long c0, c1;
	long long t0, t1;

	t0 = now_ns();
	c0 = __rdtsc();
	nanosleep(&pause, NULL);
	t1 = now_ns();
	c1 = __rdtsc();
	printf("%lld\n", (long long)((c1 - c0) * 1000000ULL / (t1 - t0)));
	return 0;
}
