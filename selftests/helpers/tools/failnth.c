// SPDX-License-Identifier: GPL-2.0
/*
 * failnth: make one system call with the Nth fault-injectable allocation
 * of the calling task failing (/proc/thread-self/fail-nth), then say
 * whether that failure was injected and what the call returned. Shell
 * commands cannot do this: the shell forks, and a fork clears fail-nth.
 *
 * usage: failnth N mkdir PATH
 *        failnth N rmdir PATH
 *        failnth N symlink TARGET LINKPATH
 *        failnth N unlink PATH
 *        failnth N write PATH VALUE
 *
 * Prints "injected=0|1 errno=E" (errno 0 when the call succeeded) and
 * exits 0; exits 2 on a usage or set-up error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int arm(int fd, const char *nth)
{
	return write(fd, nth, strlen(nth)) < 0 ? -1 : 0;
}

static int injected(int fd)
{
	char buf[16] = "";

	if (pread(fd, buf, sizeof(buf) - 1, 0) < 0)
		return -1;
	return atoi(buf) == 0;
}

static int show_usage(void)
{
	fprintf(stderr, "usage: failnth N mkdir|rmdir|unlink PATH\n"
			"       failnth N symlink TARGET LINKPATH\n"
			"       failnth N write PATH VALUE\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *op;
	int fd, target = -1, ret;

	if (argc < 4)
		return show_usage();
	op = argv[2];
	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0) {
		perror("failnth: /proc/thread-self/fail-nth");
		return 2;
	}
	if (!strcmp(op, "write")) {
		if (argc != 5)
			return show_usage();
		target = open(argv[3], O_WRONLY);
		if (target < 0) {
			perror(argv[3]);
			return 2;
		}
	} else if (argc != (strcmp(op, "symlink") ? 4 : 5)) {
		return show_usage();
	}

	if (arm(fd, argv[1])) {
		perror("failnth: arming fail-nth");
		return 2;
	}
	if (!strcmp(op, "mkdir"))
		ret = mkdir(argv[3], 0755);
	else if (!strcmp(op, "rmdir"))
		ret = rmdir(argv[3]);
	else if (!strcmp(op, "unlink"))
		ret = unlink(argv[3]);
	else if (!strcmp(op, "symlink"))
		ret = symlink(argv[3], argv[4]);
	else if (!strcmp(op, "write"))
		ret = write(target, argv[4], strlen(argv[4])) < 0 ? -1 : 0;
	else
		return show_usage();
	ret = ret ? errno : 0;

	printf("injected=%d errno=%d\n", injected(fd), ret);
	arm(fd, "0");
	return 0;
}
