// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: feature presets, modelled on the BAR maps of real
 * endpoint controllers.
 *
 *   preset     MSI MSI-X  align  BAR0 BAR1 BAR2 BAR3 BAR4      BAR5
 *   generic     y    n     4K     -    -    -    -    -         -
 *   imx8        y    n    64K     -    R    -    R    -         -
 *   fixed256    y    n     4K     -    -    -    -    F:256     -
 *   reserved    y    n     4K     -    R    -    R    -         R
 *   nomsi       n    n     4K     -    -    -    -    -         -
 *
 *   -: programmable   R: reserved   F:n: fixed at n bytes
 */
#include <linux/sizes.h>
#include <linux/string.h>

#include "epc-sim.h"

struct epc_sim_preset {
	const char *name;
	struct pci_epc_features features;
};

static const struct epc_sim_preset epc_sim_presets[] = {
	{
		.name = "generic",
		.features = {
			.msi_capable = true,
			.align = SZ_4K,
		},
	},
	{
		.name = "imx8",
		.features = {
			.msi_capable = true,
			.bar[BAR_1] = { .type = BAR_RESERVED },
			.bar[BAR_3] = { .type = BAR_RESERVED },
			.align = SZ_64K,
		},
	},
	{
		.name = "fixed256",
		.features = {
			.msi_capable = true,
			.bar[BAR_4] = { .type = BAR_FIXED, .fixed_size = SZ_256 },
			.align = SZ_4K,
		},
	},
	{
		.name = "reserved",
		.features = {
			.msi_capable = true,
			.bar[BAR_1] = { .type = BAR_RESERVED },
			.bar[BAR_3] = { .type = BAR_RESERVED },
			.bar[BAR_5] = { .type = BAR_RESERVED },
			.align = SZ_4K,
		},
	},
	{
		.name = "nomsi",
		.features = {
			.align = SZ_4K,
		},
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
	int i;

	for (i = 0; i < ARRAY_SIZE(epc_sim_presets); i++) {
		if (!strcmp(epc_sim_presets[i].name, name)) {
			sim->features = epc_sim_presets[i].features;
			sim->preset = epc_sim_presets[i].name;
			return 0;
		}
	}
	return -EINVAL;
}
