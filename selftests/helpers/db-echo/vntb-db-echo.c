// SPDX-License-Identifier: GPL-2.0
/*
 * vntb-db-echo: an NTB client that times doorbell round trips in the
 * kernel, for make bench. It binds to every NTB device. A device answers
 * each doorbell it gets by clearing it and ringing doorbell 0 of its
 * peer, from the doorbell event itself. Writing N to a device's run file
 * makes that device ring first and time N round trips instead:
 *
 *   echo 1000 > /sys/kernel/debug/vntb-db-echo/<device>/run
 *   cat /sys/kernel/debug/vntb-db-echo/<device>/run
 *   round_trips_per_s 5000
 *   rtt_us median 180 p99 400
 *   to_peer_us median 60 p99 150
 *
 * to_peer_us is the first leg alone: from the ring to the peer's doorbell
 * event, both ends being in this kernel and on its clock.
 *
 * Any doorbell bit counts, so a driver that numbers doorbells off by one
 * is timed all the same. With answer_from_work=1 a device answers from a
 * work item instead, for a driver whose peer_db_set may sleep.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/ntb.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>

#define ECHO_MAX_ROUNDS		100000
#define ECHO_TIMEOUT_MS		30000

static bool answer_from_work;
module_param(answer_from_work, bool, 0444);
MODULE_PARM_DESC(answer_from_work, "Ring back from a work item, not from the doorbell event");

/**
 * struct echo - one NTB device
 * @ntb: the device
 * @dir: its debugfs directory
 * @lock: protects the fields below it against the doorbell event
 * @rounds: round trips of the run in progress, 0 when only answering
 * @done: round trips completed so far
 * @rtt_ns: the time of each round trip
 * @leg_ns: the time of each first leg, to the peer's doorbell event
 * @sent: when the last doorbell of the run was rung
 * @finished: completed by the doorbell event ending the run
 * @answer: rings back, with answer_from_work
 * @result: the last run's figures, for reading back
 */
struct echo {
	struct ntb_dev *ntb;
	struct dentry *dir;
	spinlock_t lock;	/* see above */
	u32 rounds;
	u32 done;
	u64 *rtt_ns;
	u64 *leg_ns;
	ktime_t sent;
	struct completion finished;
	struct work_struct answer;
	char result[160];
};

static struct dentry *echo_root;

/* when a device not running a run last heard a doorbell, in ns */
static atomic64_t echo_heard_ns;

static void echo_answer(struct work_struct *work)
{
	struct echo *echo = container_of(work, struct echo, answer);

	ntb_peer_db_set(echo->ntb, BIT_ULL(0));
}

static void echo_db_event(void *ctx, int vector)
{
	struct echo *echo = ctx;
	u64 bits = ntb_db_read(echo->ntb);
	ktime_t now = ktime_get();
	unsigned long flags;
	bool ring = true;

	if (!bits)
		return;
	ntb_db_clear(echo->ntb, bits);

	spin_lock_irqsave(&echo->lock, flags);
	if (!echo->rounds)
		atomic64_set(&echo_heard_ns, ktime_to_ns(now));
	if (echo->rounds) {
		echo->leg_ns[echo->done] = atomic64_read(&echo_heard_ns) -
					   ktime_to_ns(echo->sent);
		echo->rtt_ns[echo->done++] = ktime_to_ns(ktime_sub(now, echo->sent));
		echo->sent = now;
		if (echo->done == echo->rounds) {
			echo->rounds = 0;
			ring = false;
			complete(&echo->finished);
		}
	}
	spin_unlock_irqrestore(&echo->lock, flags);
	if (ring && answer_from_work)
		queue_work(system_highpri_wq, &echo->answer);
	else if (ring)
		ntb_peer_db_set(echo->ntb, BIT_ULL(0));
}

static void echo_link_event(void *ctx)
{
}

static const struct ntb_ctx_ops echo_ctx_ops = {
	.link_event	= echo_link_event,
	.db_event	= echo_db_event,
};

static int echo_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

static int echo_run(struct echo *echo, u32 rounds)
{
	u64 *rtt, *leg, total = 0;
	ktime_t start;
	long left;
	u32 i;

	rtt = kcalloc(rounds, sizeof(*rtt), GFP_KERNEL);
	leg = kcalloc(rounds, sizeof(*leg), GFP_KERNEL);
	if (!rtt || !leg) {
		kfree(rtt);
		kfree(leg);
		return -ENOMEM;
	}

	reinit_completion(&echo->finished);
	spin_lock_irq(&echo->lock);
	echo->rtt_ns = rtt;
	echo->leg_ns = leg;
	echo->done = 0;
	echo->rounds = rounds;
	start = ktime_get();
	echo->sent = start;
	spin_unlock_irq(&echo->lock);
	ntb_peer_db_set(echo->ntb, BIT_ULL(0));

	left = wait_for_completion_interruptible_timeout(&echo->finished,
							 msecs_to_jiffies(ECHO_TIMEOUT_MS));
	spin_lock_irq(&echo->lock);
	echo->rounds = 0;
	echo->rtt_ns = NULL;
	echo->leg_ns = NULL;
	spin_unlock_irq(&echo->lock);
	if (left <= 0) {
		kfree(rtt);
		kfree(leg);
		return left ? left : -ETIMEDOUT;
	}

	for (i = 0; i < rounds; i++)
		total += rtt[i];
	sort(rtt, rounds, sizeof(*rtt), echo_cmp, NULL);
	sort(leg, rounds, sizeof(*leg), echo_cmp, NULL);
	snprintf(echo->result, sizeof(echo->result),
		 "round_trips_per_s %llu\nrtt_us median %llu p99 %llu\nto_peer_us median %llu p99 %llu\n",
		 div64_u64((u64)rounds * NSEC_PER_SEC, max_t(u64, total, 1)),
		 div_u64(rtt[rounds / 2], NSEC_PER_USEC),
		 div_u64(rtt[(u64)rounds * 99 / 100], NSEC_PER_USEC),
		 div_u64(leg[rounds / 2], NSEC_PER_USEC),
		 div_u64(leg[(u64)rounds * 99 / 100], NSEC_PER_USEC));
	kfree(rtt);
	kfree(leg);
	return 0;
}

static ssize_t echo_run_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct echo *echo = file->private_data;
	u32 rounds;
	int ret;

	ret = kstrtou32_from_user(ubuf, len, 0, &rounds);
	if (ret)
		return ret;
	if (!rounds || rounds > ECHO_MAX_ROUNDS)
		return -ERANGE;
	ret = echo_run(echo, rounds);
	return ret ? ret : len;
}

static ssize_t echo_run_read(struct file *file, char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct echo *echo = file->private_data;

	return simple_read_from_buffer(ubuf, len, ppos, echo->result,
				       strlen(echo->result));
}

static const struct file_operations echo_run_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= echo_run_read,
	.write	= echo_run_write,
};

static int echo_probe(struct ntb_client *client, struct ntb_dev *ntb)
{
	struct echo *echo;
	int ret;

	echo = devm_kzalloc(&ntb->dev, sizeof(*echo), GFP_KERNEL);
	if (!echo)
		return -ENOMEM;
	echo->ntb = ntb;
	spin_lock_init(&echo->lock);
	init_completion(&echo->finished);
	INIT_WORK(&echo->answer, echo_answer);
	ret = ntb_set_ctx(ntb, echo, &echo_ctx_ops);
	if (ret)
		return ret;
	echo->dir = debugfs_create_dir(dev_name(&ntb->dev), echo_root);
	debugfs_create_file("run", 0600, echo->dir, echo, &echo_run_fops);
	ntb_link_enable(ntb, NTB_SPEED_AUTO, NTB_WIDTH_AUTO);
	return 0;
}

static void echo_remove(struct ntb_client *client, struct ntb_dev *ntb)
{
	struct echo *echo = ntb->ctx;

	ntb_link_disable(ntb);
	debugfs_remove_recursive(echo->dir);
	ntb_clear_ctx(ntb);
	cancel_work_sync(&echo->answer);
}

static struct ntb_client echo_client = {
	.ops = {
		.probe	= echo_probe,
		.remove	= echo_remove,
	},
};

static int __init echo_init(void)
{
	int ret;

	echo_root = debugfs_create_dir("vntb-db-echo", NULL);
	ret = ntb_register_client(&echo_client);
	if (ret)
		debugfs_remove_recursive(echo_root);
	return ret;
}
module_init(echo_init);

static void __exit echo_exit(void)
{
	ntb_unregister_client(&echo_client);
	debugfs_remove_recursive(echo_root);
}
module_exit(echo_exit);

MODULE_DESCRIPTION("Doorbell round trips timed in the kernel, for make bench");
MODULE_LICENSE("GPL");
