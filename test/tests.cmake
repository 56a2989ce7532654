# Catch2 unit and integration tests, run by ctest (./aisfc test).
set(AISFC_TEST_SOURCES
    test/test-main.cc
    test/test-units-json.cc
    test/test-topology.cc
    test/test-paths.cc
    test/test-fib.cc
    test/test-network.cc
    test/test-scenario.cc
    test/test-srv6-header.cc
    test/test-srv6-behaviours.cc
    test/test-pdp-memory.cc
    test/test-pdp-table.cc
    test/test-pdp-rdma.cc
    test/test-pdp-switch.cc
    test/test-pdp-scenario.cc
    test/test-nsf-model.cc
    test/test-aisid-codec.cc
    test/test-dns.cc
    test/test-aisid-system.cc
    test/test-fuzz-regressions.cc
    test/test-learn-dense-network.cc
    test/test-nsf-chain.cc
    test/test-placement-problem.cc
    test/test-placement-filters.cc
    test/test-placement-generator.cc
    test/test-placement-policies.cc
    test/test-placement-drl.cc
    test/test-placement-validation.cc
    test/test-dune-partition.cc
    test/test-dune-data.cc
    test/test-learn-tree.cc
    test/test-dune-compiler.cc
    test/test-dune-system.cc
    test/test-dune-dataplane.cc
)
add_executable(aisfc-tests ${AISFC_TEST_SOURCES})
target_link_libraries(aisfc-tests PRIVATE ${AISFC_LIBRARY} Catch2::Catch2)
target_compile_definitions(aisfc-tests PRIVATE AISFC_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
set_target_properties(aisfc-tests PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${AISFC_OUTPUT_DIR}/test)

include(Catch)
catch_discover_tests(aisfc-tests WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})

# Command-line behaviour (exit codes, messages) and the Topology Zoo cross-check run the built
# programs from Python's standard library only.
find_program(AISFC_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME cli.exit-codes-and-messages
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_cli.py $<TARGET_FILE:aisfc-cli>)
add_test(NAME topologyzoo.counts-match-independent-parser
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_topologyzoo.py $<TARGET_FILE:aisfc-cli>
                 ${CMAKE_CURRENT_SOURCE_DIR}/../shared/topologyzoo/graphml)
add_test(NAME srv6.examples-chain-pcap-switch
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_srv6_examples.py ${AISFC_OUTPUT_DIR}/examples)
add_test(NAME pdp.external-memory-example
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_pdp_examples.py ${AISFC_OUTPUT_DIR}/examples)
add_test(NAME nsf.msi-example
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_nsf_examples.py ${AISFC_OUTPUT_DIR}/examples)
add_test(NAME examples.run-and-reproduce
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_examples.py ${AISFC_OUTPUT_DIR}/examples)
add_test(NAME placement.cli-train-resume-eval
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_placement_cli.py $<TARGET_FILE:aisfc-cli>)
add_test(NAME placement.paper-stopped-and-resumed
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_placement_paper.py $<TARGET_FILE:aisfc-cli>)
add_test(NAME sweep.replications-and-figures
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_replications.py $<TARGET_FILE:aisfc-cli>)
add_test(NAME cli.run-stopped-and-rerun
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_run_stopped.py $<TARGET_FILE:aisfc-cli> ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME learn.forest-matches-sklearn
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_sklearn_forest.py $<TARGET_FILE:bench-forest>)
set_tests_properties(learn.forest-matches-sklearn PROPERTIES SKIP_REGULAR_EXPRESSION "^skipped: " TIMEOUT 900)
add_test(NAME dune.cli-run-killed-results
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_dune_cli.py $<TARGET_FILE:aisfc-cli>)
if(TARGET aisfc-python)
  add_test(NAME python.bindings
           COMMAND ${AISFC_PYTHON3} -m pytest -q -p no:cacheprovider ${CMAKE_CURRENT_SOURCE_DIR}/test/python)
  set(python_env "PYTHONPATH=${AISFC_OUTPUT_DIR}/python;PYTHONDONTWRITEBYTECODE=1")
  if(AISFC_SANITIZE)
    # An instrumented extension in an uninstrumented python3: the runtimes must load first, and
    # the interpreter's own allocations at exit are not ours to report.
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so
                    OUTPUT_VARIABLE asan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libubsan.so
                    OUTPUT_VARIABLE ubsan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
    list(APPEND python_env "LD_PRELOAD=${asan_runtime}:${ubsan_runtime}"
         "ASAN_OPTIONS=detect_leaks=0:abort_on_error=0")
  endif()
  set_tests_properties(python.bindings PROPERTIES ENVIRONMENT "${python_env}")
endif()
add_test(NAME aisid.chinanet-example
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_aisid_chinanet.py ${AISFC_OUTPUT_DIR}/examples)
add_test(NAME cli.sweep
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_sweep.py $<TARGET_FILE:aisfc-cli>)
add_test(NAME aisid.chinanet-scenario
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_aisid_scenario.py $<TARGET_FILE:aisfc-cli> ${AISFC_OUTPUT_DIR}/examples)
add_test(NAME determinism.examples-scenarios-commands
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_determinism.py $<TARGET_FILE:aisfc-cli>
                 ${AISFC_OUTPUT_DIR}/examples ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(determinism.examples-scenarios-commands PROPERTIES TIMEOUT 1800)
add_test(NAME limits.hostile-inputs-refused
         COMMAND ${AISFC_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/test_limits.py $<TARGET_FILE:aisfc-cli>)
