// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: the host's own life, in host mode.
 *
 * On hardware the host and the endpoint are two machines. The host
 * reboots, loses the link or has its device surprise-removed while the
 * endpoint runs on, and it learns that the endpoint stopped only as a
 * link down. Per controller, in debugfs:
 *
 *   host_link    0: the link is lost. The functions get link_down
 *                (pci_epc_linkdown(), from 6.12, as DWC's
 *                dw_pcie_ep_linkdown() sends on Qualcomm, Rockchip and
 *                Layerscape); then the host removes its device in its
 *                own context, as pciehp does on a surprise link down, so
 *                its driver's teardown commands find nobody to answer
 *                them. The write returns once the device is gone. Left
 *                there, this is a surprise removal.
 *                1: the link is back. The functions get link_up
 *                (pci_epc_linkup()); then, if the controller is started,
 *                the host enumerates the device again and its drivers
 *                probe.
 *   host_reboot  any write: the host reboots: host_link 0, then 1.
 *   perst        any write: a PERST# cycle: the link is lost, the
 *                controller loses its configuration and regains it (the
 *                functions get epc_deinit, then epc_init, as DWC's
 *                PERST# handling sends on Qualcomm and Tegra), then the
 *                link is back; kernels with epc_deinit only.
 *
 * Stopping the controller takes the link from under the host as well:
 * the removal of its device is queued to run in the host's own context,
 * never in the endpoint core's, which holds the controller lock. The next
 * start waits for it, and so does a BAR being cleared meanwhile, because
 * the host maps the very memory behind the BARs.
 *
 * The host enumerates its device at the addresses it had: its BARs are
 * the function's memory itself (epc-sim-host.c).
 */
#include <linux/debugfs.h>
#include <linux/workqueue.h>

#include "epc-sim-host.h"

static void epc_sim_host_unplug_work(struct work_struct *work)
{
	struct epc_sim_host *host = container_of(work, struct epc_sim_host,
						 unplug_work);

	epc_sim_host_withdraw(host->sim);
}

/**
 * epc_sim_host_unplug() - the link went down under the host: it removes
 *                         its device, in its own context
 * @sim: the controller, being stopped; the endpoint core's lock may be
 *       held
 */
void epc_sim_host_unplug(struct epc_sim *sim)
{
	queue_work(system_unbound_wq, &sim->host->unplug_work);
}

/**
 * epc_sim_host_settle() - wait until the host has removed its device, if
 *                         it is removing it
 * @sim: the controller; its lock is not held
 */
void epc_sim_host_settle(struct epc_sim *sim)
{
	flush_work(&sim->host->unplug_work);
}

/**
 * epc_sim_host_start() - the controller started: the host enumerates
 *                        the device, unless the link is down
 * @sim: the controller; its lock is not held, the endpoint core's is
 *
 * Return: 0 or a negative errno.
 */
int epc_sim_host_start(struct epc_sim *sim)
{
	epc_sim_host_settle(sim);
	if (READ_ONCE(sim->host->link_down))
		return 0;
	return epc_sim_host_present(sim);
}

/* the link is lost: the functions hear of it, the host removes its device */
static void epc_sim_link_lost(struct epc_sim *sim)
{
	WRITE_ONCE(sim->host->link_down, true);
#ifdef EPC_SIM_HAVE_EPC_LINKDOWN
	pci_epc_linkdown(sim->epc);
#endif
	epc_sim_host_unplug(sim);
	epc_sim_host_settle(sim);
}

/* the link is back: the functions hear of it, the host enumerates */
static int epc_sim_link_back(struct epc_sim *sim)
{
	bool started;

	WRITE_ONCE(sim->host->link_down, false);
	pci_epc_linkup(sim->epc);
	mutex_lock(&sim->lock);
	started = sim->started;
	mutex_unlock(&sim->lock);
	return started ? epc_sim_host_present(sim) : 0;
}

static int epc_sim_host_link_set(void *data, u64 val)
{
	struct epc_sim *sim = data;
	int ret = 0;

	if (val > 1)
		return -EINVAL;
	mutex_lock(&sim->host->event_lock);
	if (val)
		ret = epc_sim_link_back(sim);
	else
		epc_sim_link_lost(sim);
	mutex_unlock(&sim->host->event_lock);
	return ret;
}

static int epc_sim_host_link_get(void *data, u64 *val)
{
	struct epc_sim *sim = data;

	*val = !READ_ONCE(sim->host->link_down);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(epc_sim_host_link_fops, epc_sim_host_link_get,
			 epc_sim_host_link_set, "%llu\n");

static int epc_sim_host_reboot_set(void *data, u64 val)
{
	struct epc_sim *sim = data;
	int ret;

	mutex_lock(&sim->host->event_lock);
	epc_sim_link_lost(sim);
	ret = epc_sim_link_back(sim);
	mutex_unlock(&sim->host->event_lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(epc_sim_host_reboot_fops, NULL,
			 epc_sim_host_reboot_set, "%llu\n");

#ifdef EPC_SIM_HAVE_EPC_DEINIT
static int epc_sim_perst_set(void *data, u64 val)
{
	struct epc_sim *sim = data;
	int ret;

	mutex_lock(&sim->host->event_lock);
	epc_sim_link_lost(sim);
	pci_epc_deinit_notify(sim->epc);
	pci_epc_init_notify(sim->epc);
	ret = epc_sim_link_back(sim);
	mutex_unlock(&sim->host->event_lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(epc_sim_perst_fops, NULL, epc_sim_perst_set,
			 "%llu\n");
#endif

/**
 * epc_sim_events_create() - give a controller's host its events
 * @sim: the controller, with its host side being created
 */
void epc_sim_events_create(struct epc_sim *sim)
{
	struct epc_sim_host *host = sim->host;

	INIT_WORK(&host->unplug_work, epc_sim_host_unplug_work);
	mutex_init(&host->event_lock);
	debugfs_create_file_unsafe("host_link", 0600, sim->dir, sim,
				   &epc_sim_host_link_fops);
	debugfs_create_file_unsafe("host_reboot", 0200, sim->dir, sim,
				   &epc_sim_host_reboot_fops);
#ifdef EPC_SIM_HAVE_EPC_DEINIT
	debugfs_create_file_unsafe("perst", 0200, sim->dir, sim,
				   &epc_sim_perst_fops);
#endif
}
