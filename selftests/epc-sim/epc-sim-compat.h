/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-epc-sim: differences between the kernels the simulated controller
 * builds against.
 */
#ifndef EPC_SIM_COMPAT_H
#define EPC_SIM_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define EPC_SIM_REMOVE(fn)	(fn)
#else
#define EPC_SIM_REMOVE(fn)	(fn##_int)
#endif

#ifdef PCI_IRQ_INTX
#define EPC_SIM_IRQ_INTX	PCI_IRQ_INTX
#define EPC_SIM_IRQ_MSI		PCI_IRQ_MSI
#else
#define EPC_SIM_IRQ_INTX	PCI_EPC_IRQ_LEGACY
#define EPC_SIM_IRQ_MSI		PCI_EPC_IRQ_MSI
#endif

#endif
