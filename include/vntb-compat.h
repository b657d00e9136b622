/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vntb: the differences between the kernels vntb builds against, in one
 * place. Feature tests come first; version tests only where a feature
 * cannot be tested.
 */
#ifndef VNTB_COMPAT_H
#define VNTB_COMPAT_H

#include <linux/version.h>
#include <linux/pci.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/slab.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "vntb needs Linux 6.1 or newer"
#endif

/**
 * struct vntb_arch_sysdata - what the architecture reads from a root bus's
 * sysdata; x86 takes it as struct pci_sysdata, others leave it alone
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

#ifdef PCI_IRQ_INTX
#define VNTB_IRQ_MSI		PCI_IRQ_MSI
#else
#define VNTB_IRQ_MSI		PCI_EPC_IRQ_MSI
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
/* 6.11 moved the controller-ready state into struct pci_epc */
#define VNTB_EPF_PROBE_ARGS	struct pci_epf *epf, const struct pci_epf_device_id *id

static inline bool vntb_epc_is_ready(struct pci_epc *epc)
{
	return epc->init_complete;
}

static inline void vntb_set_event_ops(struct pci_epf *epf,
				      const struct pci_epc_event_ops *ops)
{
	epf->event_ops = ops;
}

static inline void *vntb_alloc_space(struct pci_epf *epf, size_t size,
				     enum pci_barno bar,
				     const struct pci_epc_features *features)
{
	return pci_epf_alloc_space(epf, size, bar, features,
				   PRIMARY_INTERFACE);
}
#else
#define VNTB_EPF_PROBE_ARGS	struct pci_epf *epf

static inline bool vntb_epc_is_ready(struct pci_epc *epc)
{
	return true;
}

static inline void vntb_set_event_ops(struct pci_epf *epf,
				      const struct pci_epc_event_ops *ops)
{
}

static inline void *vntb_alloc_space(struct pci_epf *epf, size_t size,
				     enum pci_barno bar,
				     const struct pci_epc_features *features)
{
	return pci_epf_alloc_space(epf, size, bar, features->align,
				   PRIMARY_INTERFACE);
}
#endif

#endif
