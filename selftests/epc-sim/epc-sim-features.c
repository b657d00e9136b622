// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: feature presets, modelled on the BAR maps of real
 * endpoint controllers.
 *
 *   preset     MSI MSI-X  align  BAR0 BAR1 BAR2 BAR3 BAR4      BAR5
 *   generic     y    n     4K     -    -    -    -    -         -
 *   msix        y    y     4K     -    -    -    -    -         -
 *   imx8        y    n    64K     -    R    -    R    -         -
 *   fixed256    y    n     4K     -    -    -    -    F:256     -
 *   reserved    y    n     4K     -    R    -    R    -         R
 *   nomsi       n    n     4K     -    -    -    -    -         -
 *
 *   -: programmable   R: reserved   F:n: fixed at n bytes
 */
#include <linux/bits.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "epc-sim.h"
#include "epc-sim-compat.h"

/**
 * struct epc_sim_preset - one row of the table above
 * @name: preset name, as given in the presets module parameter
 * @msi_capable: the controller offers MSI
 * @msix_capable: the controller offers MSI-X
 * @align: BAR alignment it needs
 * @reserved: bitmap of the BARs a function must not use
 * @fixed_size: per BAR, the size the hardware fixes; 0 when programmable
 */
struct epc_sim_preset {
	const char *name;
	bool msi_capable;
	bool msix_capable;
	size_t align;
	unsigned long reserved;
	u64 fixed_size[PCI_STD_NUM_BARS];
};

static const struct epc_sim_preset epc_sim_presets[] = {
	{
		.name = "generic",
		.msi_capable = true,
		.align = SZ_4K,
	},
	{
		.name = "msix",
		.msi_capable = true,
		.msix_capable = true,
		.align = SZ_4K,
	},
	{
		.name = "imx8",
		.msi_capable = true,
		.reserved = BIT(BAR_1) | BIT(BAR_3),
		.align = SZ_64K,
	},
	{
		.name = "fixed256",
		.msi_capable = true,
		.fixed_size[BAR_4] = SZ_256,
		.align = SZ_4K,
	},
	{
		.name = "reserved",
		.msi_capable = true,
		.reserved = BIT(BAR_1) | BIT(BAR_3) | BIT(BAR_5),
		.align = SZ_4K,
	},
	{
		.name = "nomsi",
		.align = SZ_4K,
	},
};

/**
 * epc_sim_features_from_preset() - load a named feature preset
 * @sim: controller to configure
 * @name: preset name
 *
 * Return: 0, or -EINVAL when no preset has that name.
 */
int epc_sim_features_from_preset(struct epc_sim *sim, const char *name)
{
	const struct epc_sim_preset *preset;
	enum pci_barno bar;
	int i;

	for (i = 0; i < ARRAY_SIZE(epc_sim_presets); i++) {
		preset = &epc_sim_presets[i];
		if (strcmp(preset->name, name))
			continue;
		memset(&sim->features, 0, sizeof(sim->features));
		sim->features.msi_capable = preset->msi_capable;
		sim->features.msix_capable = preset->msix_capable;
		sim->features.align = preset->align;
		for (bar = BAR_0; bar <= BAR_5; bar++) {
			if (preset->reserved & BIT(bar))
				epc_sim_reserve_bar(&sim->features, bar);
			if (preset->fixed_size[bar])
				epc_sim_fix_bar(&sim->features, bar,
						preset->fixed_size[bar]);
		}
		sim->preset = preset->name;
		return 0;
	}
	return -EINVAL;
}
