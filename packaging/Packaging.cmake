# Debian package: `cpack -G DEB` in the build folder writes layerbench_<version>_<arch>.deb.
# Install rules for the desktop integration live here; the executables install themselves.
if(LB_BUILD_GUI)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/layerbench.desktop
            DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/layerbench.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

set(CPACK_PACKAGE_NAME layerbench)
set(CPACK_PACKAGE_VENDOR "LayerBench")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Workbench for shipping neural networks to edge devices")
set(CPACK_PACKAGE_DESCRIPTION
    "LayerBench opens ONNX models, shows their graph, profiles them layer by layer, quantizes \
them and compares backends locally and on devices over adb. Includes the layerbench GUI and the \
headless layerbench-cli.")
set(CPACK_PACKAGE_CONTACT "LayerBench maintainers <maintainers@layerbench.invalid>")
set(CPACK_PACKAGE_INSTALL_DIRECTORY layerbench)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_NAME layerbench)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://layerbench.invalid")

include(CPack)

if(LB_BUILD_TESTS)
    # Builds the package from this build folder and inspects it. Needs the install targets built.
    add_test(NAME packaging.deb
             COMMAND ${CMAKE_COMMAND} -E env CPACK=${CMAKE_CPACK_COMMAND}
                     sh ${PROJECT_SOURCE_DIR}/packaging/check_deb.sh ${PROJECT_BINARY_DIR}
                     $<BOOL:${LB_BUILD_GUI}>)
    set_tests_properties(packaging.deb PROPERTIES LABELS packaging TIMEOUT 600 RUN_SERIAL TRUE)
endif()
