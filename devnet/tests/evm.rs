//! L2 execution with revm: a contract call's storage change proven against
//! the certified state root, `eth_call`, and the cross-domain demo action
//! (burn on L2, mint on L1) landing atomically or not at all.

mod common;

use alloy_primitives::{Address, B256, Bytes, U256, keccak256};
use common::{advance, feed, get_json, http, post, rpc, start};
use preconf_devnet::el::{MINTER_ADDRESS, TOTAL_MINTED_SLOT, TxFields, minted_slot, sign_eip1559};
use preconf_devnet::keys::Account;
use preconf_devnet::l2::{L2_BASE_FEE, L2_CHAIN_ID, L2Options};
use preconf_devnet::l2_evm::{
    BURNED_EVENT, BURNER_ADDRESS, TOTAL_BURNED_SLOT, burn_calldata, burner_code,
};
use preconf_light::execution::verify_account_proof_for;
use preconf_light::rollup::certificate::verify_ecdsa_certificate;
use preconf_light::rollup::header::KIND_BASED;
use preconf_light::rollup::{Certificate, FeedMessage};
use serde_json::{Value, json};

fn l2(addr: std::net::SocketAddr, method: &str, params: Value) -> Value {
    post(
        addr,
        "/rpc/l2",
        json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}),
    )
}

fn alice(addr: std::net::SocketAddr) -> Account {
    let accounts = get_json(addr, "/devnet/accounts");
    let secret = accounts["l2"][0]["privateKey"].as_str().expect("key");
    Account::from_secret(&hex::decode(&secret[2..]).expect("hex")).expect("key")
}

fn nonce_of(addr: std::net::SocketAddr, a: Address) -> u64 {
    let n = l2(
        addr,
        "eth_getTransactionCount",
        json!([format!("{a:#x}"), "latest"]),
    );
    u64::from_str_radix(
        n["result"]
            .as_str()
            .expect("nonce")
            .trim_start_matches("0x"),
        16,
    )
    .expect("hex")
}

/// A signed `burn(recipient)` call of the Burner carrying `value`.
fn burn_tx(
    from: &Account,
    nonce: u64,
    recipient: Address,
    value: u64,
    gas: u64,
) -> preconf_devnet::el::Tx {
    sign_eip1559(
        from,
        TxFields {
            chain_id: L2_CHAIN_ID,
            nonce,
            max_fee: L2_BASE_FEE,
            gas,
            to: BURNER_ADDRESS,
            value: U256::from(value),
            input: burn_calldata(recipient),
        },
    )
}

fn carrier(msgs: &[FeedMessage], tx: B256) -> &FeedMessage {
    msgs.iter()
        .find(|m| m.block.tx_hashes().contains(&tx))
        .expect("included")
}

fn word(v: &Value) -> U256 {
    v.as_str().expect("hex").parse().expect("quantity")
}

fn opts() -> L2Options {
    L2Options {
        blocks_per_slot: 2,
        ..L2Options::default()
    }
}

#[test]
fn contract_call_runs_in_revm_and_its_storage_is_proven_against_the_certified_root() {
    let addr = start(41, opts());
    advance(addr, 2);
    let alice = alice(addr);
    let recipient = Address::repeat_byte(0x42);
    let tx = burn_tx(
        &alice,
        nonce_of(addr, alice.address),
        recipient,
        5_000,
        100_000,
    );
    let sent = l2(
        addr,
        "eth_sendRawTransaction",
        json!([format!("0x{}", hex::encode(&tx.envelope))]),
    );
    assert_eq!(sent["result"], json!(format!("{:#x}", tx.hash)), "{sent}");
    advance(addr, 1);

    let msgs = feed(addr);
    let block = carrier(&msgs, tx.hash);
    let Certificate::Ecdsa(sig) = &block.certificate else {
        panic!("certified block")
    };
    let config = get_json(addr, "/devnet/client-config");
    let sequencer: Address = config["rollup"]["sequencer"]["address"]
        .as_str()
        .expect("sequencer")
        .parse()
        .expect("address");
    verify_ecdsa_certificate(sig, L2_CHAIN_ID, block.block.header.hash(), sequencer)
        .expect("certified");

    // The receipt: success, the Burned log, more gas than a transfer.
    let receipt = l2(
        addr,
        "eth_getTransactionReceipt",
        json!([format!("{:#x}", tx.hash)]),
    )["result"]
        .clone();
    assert_eq!(receipt["status"], json!("0x1"), "{receipt}");
    let log = &receipt["logs"][0];
    assert_eq!(log["address"], json!(format!("{BURNER_ADDRESS:#x}")));
    assert_eq!(
        log["topics"][0],
        json!(format!("{:#x}", keccak256(BURNED_EVENT)))
    );
    assert_eq!(
        word(&log["topics"][1]),
        U256::from_be_slice(recipient.as_slice())
    );
    assert_eq!(word(&log["data"]), U256::from(5_000));
    assert!(block.block.header.gas_used > 2 * 21_000);

    // Storage slot 0 (total burned) proven against the certified state root,
    // and zero in the parent's state.
    let at = |hash: B256, root: B256| {
        let proof = l2(
            addr,
            "eth_getProof",
            json!([
                format!("{BURNER_ADDRESS:#x}"),
                [format!("{TOTAL_BURNED_SLOT:#x}")],
                format!("{hash:#x}")
            ]),
        )["result"]
            .clone();
        verify_account_proof_for(root, BURNER_ADDRESS, &[TOTAL_BURNED_SLOT], &proof)
            .expect("L2 storage proof")
    };
    let after = at(block.block.header.hash(), block.block.header.state_root);
    assert_eq!(after.storage[0].value, U256::from(5_000));
    assert_eq!(after.code_hash, keccak256(burner_code()));
    assert_eq!(
        after.balance,
        U256::from(5_000),
        "the burned value is locked in the Burner"
    );
    let parent = msgs
        .iter()
        .find(|m| m.block.header.hash() == block.block.header.parent_hash)
        .expect("parent");
    let before = at(parent.block.header.hash(), parent.block.header.state_root);
    assert_eq!(before.storage[0].value, U256::ZERO);
    // A forged value does not verify.
    let mut forged = l2(
        addr,
        "eth_getProof",
        json!([
            format!("{BURNER_ADDRESS:#x}"),
            [format!("{TOTAL_BURNED_SLOT:#x}")],
            "latest"
        ]),
    )["result"]
        .clone();
    forged["storageProof"][0]["value"] = json!("0x1389");
    assert!(
        verify_account_proof_for(
            block.block.header.state_root,
            BURNER_ADDRESS,
            &[TOTAL_BURNED_SLOT],
            &forged
        )
        .is_err()
    );

    // eth_call answers totalBurned() from the latest state, eth_getCode the code.
    let call = l2(
        addr,
        "eth_call",
        json!([{"to": format!("{BURNER_ADDRESS:#x}"), "data": "0x"}, "latest"]),
    );
    assert_eq!(word(&call["result"]), U256::from(5_000), "{call}");
    let code = l2(
        addr,
        "eth_getCode",
        json!([format!("{BURNER_ADDRESS:#x}"), "latest"]),
    );
    assert_eq!(
        code["result"],
        json!(format!("0x{}", hex::encode(burner_code())))
    );
    // The witness carries the Burner's code.
    let w = get_json(
        addr,
        &format!("/rollup/witness/{:#x}", block.block.header.hash()),
    );
    assert_eq!(w["codes"][0], code["result"]);
}

/// The L1 block at the head, its receipts and state root.
fn l1_head(addr: std::net::SocketAddr) -> (Value, Vec<Value>) {
    let block = rpc(addr, "eth_getBlockByNumber", json!(["latest", false]))["result"].clone();
    let receipts = rpc(addr, "eth_getBlockReceipts", json!([block["number"]]))["result"]
        .as_array()
        .expect("receipts")
        .clone();
    (block, receipts)
}

fn minted_proof(addr: std::net::SocketAddr, block: &Value, recipient: Address) -> (U256, U256) {
    let keys = [minted_slot(recipient), TOTAL_MINTED_SLOT];
    let proof = rpc(
        addr,
        "eth_getProof",
        json!([
            format!("{MINTER_ADDRESS:#x}"),
            keys.iter().map(|k| format!("{k:#x}")).collect::<Vec<_>>(),
            block["number"]
        ]),
    )["result"]
        .clone();
    let root: B256 = block["stateRoot"]
        .as_str()
        .expect("root")
        .parse()
        .expect("hash");
    let acc =
        verify_account_proof_for(root, MINTER_ADDRESS, &keys, &proof).expect("L1 storage proof");
    (acc.storage[0].value, acc.storage[1].value)
}

#[test]
fn cross_domain_action_lands_atomically_burn_on_l2_and_mint_on_l1() {
    let addr = start(42, opts());
    advance(addr, 2);
    let alice = alice(addr);
    let recipient = Address::repeat_byte(0x77);
    let tx = burn_tx(
        &alice,
        nonce_of(addr, alice.address),
        recipient,
        9_000,
        100_000,
    );
    let body = json!({"l2Tx": format!("0x{}", hex::encode(&tx.envelope))});
    let queued = post(addr, "/devnet/action", body.clone());
    assert_eq!(queued["l2TxHash"], json!(format!("{:#x}", tx.hash)));
    // A replay of the same leg is refused (its nonce is taken).
    assert_eq!(
        http(addr, "POST", "/devnet/action", &body.to_string()).0,
        400
    );
    // Not a Burner call: refused.
    let transfer = sign_eip1559(
        &alice,
        TxFields {
            chain_id: L2_CHAIN_ID,
            nonce: tx.nonce + 1,
            max_fee: L2_BASE_FEE,
            gas: 21_000,
            to: alice.address,
            value: U256::from(1),
            input: Bytes::new(),
        },
    );
    let not_burn = json!({"l2Tx": format!("0x{}", hex::encode(&transfer.envelope))});
    assert_eq!(
        http(addr, "POST", "/devnet/action", &not_burn.to_string()).0,
        400
    );

    let status = |h: B256| get_json(addr, &format!("/devnet/action/{h:#x}"));
    assert_eq!(status(tx.hash)["status"], json!("pending"));
    let slot = advance(addr, 1);
    let landed = status(tx.hash);
    assert_eq!(landed["status"], json!("landed"), "{landed}");
    assert_eq!(landed["l1Slot"], json!(slot));
    // L2 leg: in a based block of this slot, succeeded, logged Burned.
    let msgs = feed(addr);
    let based = carrier(&msgs, tx.hash);
    assert_eq!(based.block.header.kind, KIND_BASED);
    assert_eq!(based.block.header.l1_slot, slot);
    let receipt = l2(
        addr,
        "eth_getTransactionReceipt",
        json!([format!("{:#x}", tx.hash)]),
    )["result"]
        .clone();
    assert_eq!(receipt["status"], json!("0x1"));
    let proof = l2(
        addr,
        "eth_getProof",
        json!([
            format!("{BURNER_ADDRESS:#x}"),
            [format!("{TOTAL_BURNED_SLOT:#x}")],
            format!("{:#x}", based.block.header.hash())
        ]),
    )["result"]
        .clone();
    let burner = verify_account_proof_for(
        based.block.header.state_root,
        BURNER_ADDRESS,
        &[TOTAL_BURNED_SLOT],
        &proof,
    )
    .expect("L2 proof");
    assert_eq!(burner.storage[0].value, U256::from(9_000));

    // L1 leg: the L1 block of the same slot commits the based block and mints.
    let (block, receipts) = l1_head(addr);
    let logs: Vec<&Value> = receipts
        .iter()
        .flat_map(|r| r["logs"].as_array().expect("logs"))
        .collect();
    let based_hash = format!("{:#x}", based.block.header.hash());
    assert!(
        logs.iter().any(|l| l["topics"][1] == json!(based_hash)),
        "commits the based block"
    );
    let mint = logs
        .iter()
        .find(|l| l["address"] == json!(format!("{MINTER_ADDRESS:#x}")))
        .expect("Minted log");
    assert_eq!(mint["topics"][2], json!(format!("{:#x}", tx.hash)));
    assert_eq!(word(&mint["data"]), U256::from(9_000));
    let (minted, total) = minted_proof(addr, &block, recipient);
    assert_eq!((minted, total), (U256::from(9_000), U256::from(9_000)));
    // The status names the mint transaction; L1 RPC finds it by hash.
    let l1_tx = landed["l1TxHash"].clone();
    assert_eq!(landed["l1BlockHash"], block["hash"]);
    let by_hash = rpc(addr, "eth_getTransactionByHash", json!([l1_tx]))["result"].clone();
    assert_eq!(by_hash["hash"], l1_tx);
    assert_eq!(by_hash["blockHash"], block["hash"]);
    assert_eq!(by_hash["to"], json!(format!("{MINTER_ADDRESS:#x}")));
    let full = rpc(addr, "eth_getBlockByHash", json!([block["hash"], true]))["result"].clone();
    let index = by_hash["transactionIndex"].as_str().expect("index");
    let i = usize::from_str_radix(&index[2..], 16).expect("hex");
    assert_eq!(full["transactions"][i], by_hash, "same JSON as the block's");
    let receipt = rpc(addr, "eth_getTransactionReceipt", json!([l1_tx]))["result"].clone();
    assert_eq!(receipt, receipts[i], "same JSON as eth_getBlockReceipts");
    assert_eq!(receipt["transactionHash"], l1_tx);
    assert_eq!(
        receipt["logs"][0]["topics"][2],
        json!(format!("{:#x}", tx.hash))
    );
    // Unknown hashes (the L2 leg is not an L1 transaction) are null.
    for method in ["eth_getTransactionByHash", "eth_getTransactionReceipt"] {
        let r = rpc(addr, method, json!([format!("{:#x}", tx.hash)]));
        assert_eq!(r["result"], Value::Null, "{method}: {r}");
    }
    // The L1 parent held no mint: both legs appeared in this one slot.
    let parent_number = word(&block["number"]) - U256::from(1);
    let parent = rpc(
        addr,
        "eth_getBlockByNumber",
        json!([format!("{parent_number:#x}"), false]),
    )["result"]
        .clone();
    assert_eq!(
        minted_proof(addr, &parent, recipient),
        (U256::ZERO, U256::ZERO)
    );
}

#[test]
fn cross_domain_action_whose_burn_fails_leaves_neither_leg() {
    let addr = start(43, opts());
    advance(addr, 2);
    let alice = alice(addr);
    let recipient = Address::repeat_byte(0x55);
    // Enough gas to be valid, too little for the SSTORE: the burn reverts
    // (out of gas), so the post-assertion fails and the builder drops it.
    let tx = burn_tx(
        &alice,
        nonce_of(addr, alice.address),
        recipient,
        1_000,
        30_000,
    );
    post(
        addr,
        "/devnet/action",
        json!({"l2Tx": format!("0x{}", hex::encode(&tx.envelope))}),
    );
    advance(addr, 1);
    assert!(
        feed(addr)
            .iter()
            .all(|m| !m.block.tx_hashes().contains(&tx.hash)),
        "no L2 leg"
    );
    let receipt = l2(
        addr,
        "eth_getTransactionReceipt",
        json!([format!("{:#x}", tx.hash)]),
    );
    assert_eq!(receipt["result"], Value::Null);
    let (block, receipts) = l1_head(addr);
    assert!(
        receipts
            .iter()
            .flat_map(|r| r["logs"].as_array().expect("logs"))
            .all(|l| l["address"] != json!(format!("{MINTER_ADDRESS:#x}"))),
        "no L1 leg"
    );
    assert_eq!(
        minted_proof(addr, &block, recipient),
        (U256::ZERO, U256::ZERO)
    );
}

/// The library's stateless re-execution (its own revm setup, over proofs
/// only) reproduces the devnet's post-state root, receipts root and gas of
/// the block carrying a Burner call: the devnet's revm execution is the
/// one a client checks. Missing state is fetched the way a client does
/// (`NeedsState` -> `eth_getProof` at the parent -> retry).
#[test]
fn library_reexecution_reproduces_the_devnet_block_with_a_contract_call() {
    use preconf_light::evm::{BlockInput, EvmError, EvmSpec, Witness, reexecute_block};
    use preconf_light::execution::ExecutionHeader;
    let addr = start(44, opts());
    advance(addr, 2);
    let alice = alice(addr);
    let tx = burn_tx(
        &alice,
        nonce_of(addr, alice.address),
        Address::repeat_byte(9),
        777,
        100_000,
    );
    l2(
        addr,
        "eth_sendRawTransaction",
        json!([format!("0x{}", hex::encode(&tx.envelope))]),
    );
    advance(addr, 1);
    let msgs = feed(addr);
    let block = carrier(&msgs, tx.hash);
    let h = &block.block.header;
    let w = get_json(addr, &format!("/rollup/witness/{:#x}", h.hash()));
    let header = ExecutionHeader {
        parent_hash: h.parent_hash,
        ommers_hash: preconf_light::execution::EMPTY_OMMERS_HASH,
        beneficiary: Address::ZERO,
        state_root: h.state_root,
        transactions_root: h.transactions_root,
        receipts_root: h.receipts_root,
        logs_bloom: Default::default(),
        difficulty: U256::ZERO,
        number: h.number,
        gas_limit: h.gas_limit,
        gas_used: h.gas_used,
        timestamp: h.timestamp,
        extra_data: Bytes::new(),
        mix_hash: B256::ZERO,
        nonce: Default::default(),
        base_fee_per_gas: Some(h.base_fee_per_gas),
        withdrawals_root: None,
        blob_gas_used: Some(0),
        excess_blob_gas: Some(0),
        parent_beacon_block_root: None,
        requests_hash: None,
    };
    let hex_bytes = |v: &Value| {
        Bytes::from(hex::decode(v.as_str().expect("hex").trim_start_matches("0x")).expect("hex"))
    };
    let mut witness = Witness {
        proofs: w["proofs"].as_array().expect("proofs").clone(),
        codes: w["codes"]
            .as_array()
            .expect("codes")
            .iter()
            .map(hex_bytes)
            .collect(),
        ..Witness::default()
    };
    assert_eq!(witness.codes, vec![burner_code()]);
    let input = BlockInput {
        header: &header,
        transactions: &block.block.transactions,
        withdrawals: &[],
        chain_id: L2_CHAIN_ID,
        spec: EvmSpec::Prague,
    };
    let parent = format!("{:#x}", h.parent_hash);
    let mut rounds = 0;
    let done = loop {
        rounds += 1;
        assert!(rounds < 5, "re-execution keeps asking for state");
        match reexecute_block(h_pre(&w), &input, &witness) {
            Ok(v) => break v,
            Err(EvmError::NeedsState(needs)) => {
                for a in &needs.accounts {
                    let p =
                        l2(addr, "eth_getProof", json!([format!("{a:#x}"), [], parent]))["result"]
                            .clone();
                    witness.proofs.push(p);
                }
                for (a, k) in &needs.slots {
                    let p = l2(
                        addr,
                        "eth_getProof",
                        json!([format!("{a:#x}"), [format!("{k:#x}")], parent]),
                    )["result"]
                        .clone();
                    witness.proofs.push(p);
                }
                assert!(
                    needs.codes.is_empty() && needs.block_hashes.is_empty(),
                    "{needs:?}"
                );
            }
            Err(e) => panic!("re-execution: {e}"),
        }
    };
    assert_eq!(rounds, 1, "the devnet's witness is complete");
    assert_eq!(done.state_root, h.state_root);
    assert_eq!(done.gas_used, h.gas_used);
    assert_eq!(done.transactions, block.block.transactions.len());
    // A tampered header (another post-state root) is refused.
    let mut bad = header.clone();
    bad.state_root = B256::repeat_byte(1);
    let bad_input = BlockInput {
        header: &bad,
        ..input
    };
    assert!(matches!(
        reexecute_block(h_pre(&w), &bad_input, &witness),
        Err(EvmError::PostStateRootMismatch { .. })
    ));
}

fn h_pre(w: &Value) -> B256 {
    w["preStateRoot"]
        .as_str()
        .expect("root")
        .parse()
        .expect("hash")
}

#[test]
fn an_l1_reorg_of_the_action_slot_removes_both_legs() {
    let addr = start(45, opts());
    advance(addr, 2);
    let alice = alice(addr);
    let recipient = Address::repeat_byte(0x31);
    let nonce = nonce_of(addr, alice.address);
    let tx = burn_tx(&alice, nonce, recipient, 4_242, 100_000);
    post(
        addr,
        "/devnet/action",
        json!({"l2Tx": format!("0x{}", hex::encode(&tx.envelope))}),
    );
    advance(addr, 1);
    let based = carrier(&feed(addr), tx.hash).block.header.hash();
    let (block, _) = l1_head(addr);
    assert_eq!(minted_proof(addr, &block, recipient).0, U256::from(4_242));
    let l1_tx = get_json(addr, &format!("/devnet/action/{:#x}", tx.hash))["l1TxHash"].clone();
    let receipt = |h: &Value| rpc(addr, "eth_getTransactionReceipt", json!([h]))["result"].clone();
    assert_eq!(receipt(&l1_tx)["blockHash"], block["hash"]);

    common::fault(addr, json!({"kind": "reorg", "depth": 1}));
    assert_eq!(
        get_json(addr, &format!("/devnet/action/{:#x}", tx.hash))["status"],
        json!("none")
    );
    // Off the canonical chain: L1 RPC no longer finds the mint.
    assert_eq!(receipt(&l1_tx), Value::Null);
    let t = common::truth_of(addr, based);
    assert_eq!(
        (t["fate"].clone(), t["reason"].clone()),
        (json!("reverted"), json!("l1Reorg"))
    );
    advance(addr, 1);
    // Neither leg survives: no L2 receipt, alice's nonce is back, no mint on L1.
    let receipt = l2(
        addr,
        "eth_getTransactionReceipt",
        json!([format!("{:#x}", tx.hash)]),
    );
    assert_eq!(receipt["result"], Value::Null);
    let (block, receipts) = l1_head(addr);
    assert!(
        receipts
            .iter()
            .flat_map(|r| r["logs"].as_array().expect("logs"))
            .all(|l| l["address"] != json!(format!("{MINTER_ADDRESS:#x}")))
    );
    assert_eq!(
        minted_proof(addr, &block, recipient),
        (U256::ZERO, U256::ZERO)
    );
    let burned = l2(
        addr,
        "eth_call",
        json!([{"to": format!("{BURNER_ADDRESS:#x}")}, "latest"]),
    );
    assert_eq!(word(&burned["result"]), U256::ZERO);
}
