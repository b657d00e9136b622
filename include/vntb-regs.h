/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vntb: the host-visible register layout, shared with the host driver
 * ntb_hw_epf. These values are the wire protocol and never change.
 *
 * Control BAR (ctrl_bar):
 *
 *   0x000 +-------------------------------+
 *         | struct vntb_ctrl (0x134 bytes)|  command, status, windows,
 *         |                               |  doorbell data/offsets
 *   spad  +---------------+---------------+
 *   _off  | host's spads  | endpoint's    |  spad_count u32 each;
 *         | (ep's peer)   | spads (host's |  host writes its own in the
 *         |               | peer)         |  first half
 *         +---------------+---------------+
 *
 * Doorbell BAR (db_bar): u32 slots; the host rings doorbell k by writing
 * db_data[k + 2] at db_entry_size * (k + 2) + db_offset[k + 2]. Slot 0
 * stands for the link and slot 1 is unused, as ntb_hw_epf expects.
 *
 * Memory window BARs (mwN_bar): host writes land in the buffer the
 * endpoint's NTB client set with mw_set_trans(); endpoint writes through
 * an outbound window reach the host buffer named by CONFIGURE_MW.
 */
#ifndef VNTB_REGS_H
#define VNTB_REGS_H

#include <linux/types.h>

#define VNTB_CMD_CONFIGURE_DOORBELL	1
#define VNTB_CMD_TEARDOWN_DOORBELL	2
#define VNTB_CMD_CONFIGURE_MW		3
#define VNTB_CMD_TEARDOWN_MW		4
#define VNTB_CMD_LINK_UP		5
#define VNTB_CMD_LINK_DOWN		6

#define VNTB_STATUS_OK			1
#define VNTB_STATUS_ERROR		2

#define VNTB_LINK_UP			BIT(0)

#define VNTB_DB_ARG_COUNT		GENMASK(15, 0)
#define VNTB_DB_ARG_MSIX		BIT(16)

#define VNTB_MAX_DB_SLOTS		32
#define VNTB_DB_FIRST_SLOT		2
#define VNTB_DB_ENTRY_SIZE		4
#define VNTB_MAX_MWS			4

/* MSI vector (1-based) raised for endpoint-to-host doorbell bit b */
#define VNTB_PEER_DB_MSI(b)		((b) + 3)

/**
 * struct vntb_ctrl - the control region at the start of the control BAR
 * @command: VNTB_CMD_*, written by the host after @argument
 * @argument: command argument
 * @command_status: VNTB_STATUS_*, written by the endpoint
 * @link_status: VNTB_LINK_UP when the host enabled the link
 * @topology: unused, zero
 * @addr: host address for VNTB_CMD_CONFIGURE_MW
 * @size: window size for VNTB_CMD_CONFIGURE_MW
 * @num_mws: number of memory windows
 * @mw1_offset: offset of the first window inside its BAR, zero
 * @spad_offset: offset of the scratchpads from the start of the BAR
 * @spad_count: scratchpads per side
 * @db_entry_size: distance between doorbell slots in the doorbell BAR
 * @db_data: value the host writes to ring each slot
 * @db_offset: extra offset of each slot in the doorbell BAR
 */
struct vntb_ctrl {
	__le32 command;
	__le32 argument;
	__le16 command_status;
	__le16 link_status;
	__le32 topology;
	__le64 addr;
	__le64 size;
	__le32 num_mws;
	__le32 mw1_offset;
	__le32 spad_offset;
	__le32 spad_count;
	__le32 db_entry_size;
	__le32 db_data[VNTB_MAX_DB_SLOTS];
	__le32 db_offset[VNTB_MAX_DB_SLOTS];
} __packed;

#endif
