/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vntb: the differences between the kernels vntb builds against, in one
 * place. Each VNTB_HAVE_* comes from a grep of the kernel's headers in
 * Kbuild; version tests only where a feature cannot be probed.
 *
 *   VNTB_HAVE_...           6.1  6.12  7.2  what it tells
 *   DEVICE_DRIVER_OVERRIDE   -    y     y   driver_override is in struct
 *                                           device
 *   EPC_IRQ_ENUM             y    -     -   raise_irq takes PCI_EPC_IRQ_*
 *   EPC_BAR_DESC             -    y     y   features describe BARs by type
 *   ALLOC_SPACE_FEATURES     -    y     y   pci_epf_alloc_space() applies
 *                                           the controller's features
 *   EPF_EVENT_OPS            -    y     y   events come by callback, not
 *                                           by notifier
 *   EPF_PROBE_ID             -    y     y   EPF probe gets the matched ID
 *   EPC_INIT_COMPLETE        -    y     y   epc_init/epc_deinit events and
 *                                           the controller-ready flag
 *   WQ_PERCPU                -    y     y   workqueues say WQ_PERCPU or
 *                                           WQ_UNBOUND (7.2 warns without)
 *   NTB_GET_DMA_DEV          y    y     y   NTB clients ask the device
 *                                           which device maps their DMA
 *                                           (Debian's 6.1 and 6.12 carry
 *                                           it; a vendor kernel may not)
 *   EPF_DOORBELL             -    -     y   pci_epf_alloc_doorbell() gives
 *                                           doorbells as interrupts
 *                                           (vntb-doorbell.c)
 */
#ifndef VNTB_COMPAT_H
#define VNTB_COMPAT_H

#include <linux/bits.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/version.h>
#include <linux/pci.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/slab.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "vntb needs Linux 6.1 or newer"
#endif

#if defined(VNTB_HAVE_EPF_EVENT_OPS) && !defined(VNTB_HAVE_EPC_INIT_COMPLETE)
#error "event ops without epc_init (6.4-6.10) are not supported"
#endif

/**
 * struct vntb_arch_sysdata - what the architecture reads from a root bus's
 * sysdata; x86 takes it as struct pci_sysdata, others leave it alone
 * @x86: the PCI domain and NUMA node x86 reads
 */
struct vntb_arch_sysdata {
#ifdef CONFIG_X86
	struct pci_sysdata x86;
#endif
};

/* the driver_override string moved from struct pci_dev to struct device */
static inline int vntb_set_driver_override(struct pci_dev *pdev,
					   const char *name)
{
#ifdef VNTB_HAVE_DEVICE_DRIVER_OVERRIDE
	return device_set_driver_override(&pdev->dev, name);
#else
	pdev->driver_override = kstrdup(name, GFP_KERNEL);
	return pdev->driver_override ? 0 : -ENOMEM;
#endif
}

#ifdef VNTB_HAVE_EPC_IRQ_ENUM
#define VNTB_IRQ_MSI		PCI_EPC_IRQ_MSI
#else
#define VNTB_IRQ_MSI		PCI_IRQ_MSI
#endif

int vntb_probe(struct pci_epf *epf);

/* pci_epf_driver.probe, which is also given the matched ID since 6.4 */
#ifdef VNTB_HAVE_EPF_PROBE_ID
static inline int vntb_epf_probe(struct pci_epf *epf,
				 const struct pci_epf_device_id *id)
{
	return vntb_probe(epf);
}
#else
static inline int vntb_epf_probe(struct pci_epf *epf)
{
	return vntb_probe(epf);
}
#endif

#ifdef VNTB_HAVE_EPC_BAR_DESC
static inline bool vntb_bar_reserved(const struct pci_epc_features *features,
				     enum pci_barno bar)
{
	return features->bar[bar].type == BAR_RESERVED;
}

/* the BAR's hardware-fixed size, 0 when the function chooses it */
static inline u64 vntb_bar_fixed_size(const struct pci_epc_features *features,
				      enum pci_barno bar)
{
	return features->bar[bar].type == BAR_FIXED ?
	       features->bar[bar].fixed_size : 0;
}

static inline bool vntb_bar_only_64bit(const struct pci_epc_features *features,
				       enum pci_barno bar)
{
	return features->bar[bar].only_64bit;
}
#else
static inline bool vntb_bar_reserved(const struct pci_epc_features *features,
				     enum pci_barno bar)
{
	return features->reserved_bar & BIT(bar);
}

static inline u64 vntb_bar_fixed_size(const struct pci_epc_features *features,
				      enum pci_barno bar)
{
	return features->bar_fixed_size[bar];
}

static inline bool vntb_bar_only_64bit(const struct pci_epc_features *features,
				       enum pci_barno bar)
{
	return features->bar_fixed_64bit & BIT(bar);
}
#endif

#ifdef VNTB_HAVE_ALLOC_SPACE_FEATURES
static inline void *vntb_alloc_space(struct pci_epf *epf, size_t size,
				     enum pci_barno bar,
				     const struct pci_epc_features *features)
{
	return pci_epf_alloc_space(epf, size, bar, features,
				   PRIMARY_INTERFACE);
}
#else
/*
 * What pci_epf_alloc_space() does since 6.9: a fixed BAR gets its fixed
 * size, any other a power of two, and a BAR the controller only has as
 * 64-bit is flagged so. The older core rounds the size up to the
 * alignment instead, which is a power of two only when the size is one.
 */
static inline void *vntb_alloc_space(struct pci_epf *epf, size_t size,
				     enum pci_barno bar,
				     const struct pci_epc_features *features)
{
	u64 fixed = vntb_bar_fixed_size(features, bar);
	void *space;

	if (fixed && size > fixed) {
		dev_err(&epf->dev, "BAR %d is fixed at %llu bytes, %zu needed\n",
			bar, fixed, size);
		return NULL;
	}
	space = pci_epf_alloc_space(epf, fixed ?: roundup_pow_of_two(size), bar,
				    fixed ? 0 : features->align,
				    PRIMARY_INTERFACE);
	if (space && vntb_bar_only_64bit(features, bar))
		epf->bar[bar].flags |= PCI_BASE_ADDRESS_MEM_TYPE_64;
	return space;
}
#endif

#ifdef VNTB_HAVE_HRTIMER_SETUP
#define vntb_hrtimer_setup	hrtimer_setup
#else
/* hrtimer_setup() arrived in 6.13; before, the callback is set apart */
static inline void vntb_hrtimer_setup(struct hrtimer *timer,
				      enum hrtimer_restart (*fn)(struct hrtimer *),
				      clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = fn;
}
#endif

/*
 * 7.2 warns about a workqueue that says neither WQ_PERCPU nor WQ_UNBOUND;
 * before WQ_PERCPU a workqueue without WQ_UNBOUND is per CPU anyway
 */
#ifdef VNTB_HAVE_WQ_PERCPU
#define VNTB_WQ_PERCPU		WQ_PERCPU
#else
#define VNTB_WQ_PERCPU		0
#endif

/* before 6.13 kthread_create_worker() also woke the worker */
#ifndef kthread_run_worker
#define kthread_run_worker	kthread_create_worker
#endif

#ifdef VNTB_HAVE_EPC_INIT_COMPLETE
static inline bool vntb_epc_is_ready(struct pci_epc *epc)
{
	return epc->init_complete;
}

static inline void vntb_set_event_ops(struct pci_epf *epf,
				      const struct pci_epc_event_ops *ops)
{
	epf->event_ops = ops;
}
#else
/*
 * Before 6.4 the controller told its functions about core init through a
 * notifier, which the in-tree function of those kernels ignores as well:
 * the controller is programmed when the function is linked. The callbacks
 * keep their 6.11 shape and are never called.
 */
struct pci_epc_event_ops {
	int (*epc_init)(struct pci_epf *epf);
	void (*epc_deinit)(struct pci_epf *epf);
	int (*link_up)(struct pci_epf *epf);
	int (*link_down)(struct pci_epf *epf);
};

static inline bool vntb_epc_is_ready(struct pci_epc *epc)
{
	return true;
}

static inline void vntb_set_event_ops(struct pci_epf *epf,
				      const struct pci_epc_event_ops *ops)
{
}
#endif

#endif
