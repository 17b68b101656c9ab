<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>OpColors</name>
    <message>
        <source>Convolution</source>
        <translation>Convolución</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Lineal</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Activación</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>Normalización</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>Agrupación</translation>
    </message>
    <message>
        <source>Elementwise</source>
        <translation>Elemento a elemento</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Datos</translation>
    </message>
    <message>
        <source>Control flow</source>
        <translation>Flujo de control</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Cuantización</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Otros</translation>
    </message>
</context>
<context>
    <name>lb::app::InputShapesDialog</name>
    <message>
        <source>Set Input Shapes</source>
        <translation>Definir formas de entrada</translation>
    </message>
    <message>
        <source>Give a concrete shape for each input with symbolic dimensions, for example 1x3x640x640. Leave a line empty to keep the declared shape.</source>
        <translation>Indique una forma concreta para cada entrada con dimensiones simbólicas, por ejemplo 1x3x640x640. Deje una línea vacía para conservar la forma declarada.</translation>
    </message>
    <message>
        <source>Declared shape: %1</source>
        <translation>Forma declarada: %1</translation>
    </message>
    <message>
        <source>%1 (%2):</source>
        <translation>%1 (%2):</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Reabrir</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a shape for input %2: expected numbers separated by x, e.g. 1x3x640x640.</source>
        <translation>«%1» no es una forma para la entrada %2: se esperaban números separados por x, p. ej. 1x3x640x640.</translation>
    </message>
</context>
<context>
    <name>lb::app::MainWindow</name>
    <message>
        <source>Opening cancelled.</source>
        <translation>Apertura cancelada.</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>Propiedades</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Opening %1...</source>
        <translation>Abriendo %1...</translation>
    </message>
    <message>
        <source>Opening %1: %2</source>
        <translation>Abriendo %1: %2</translation>
    </message>
    <message>
        <source>summarizing</source>
        <translation>resumiendo</translation>
    </message>
    <message>
        <source>laying out the graph</source>
        <translation>distribuyendo el grafo</translation>
    </message>
    <message>
        <source>reading the model</source>
        <translation>leyendo el modelo</translation>
    </message>
    <message>
        <source>inferring shapes</source>
        <translation>infiriendo formas</translation>
    </message>
    <message>
        <source>Cannot open %1</source>
        <translation>No se puede abrir %1</translation>
    </message>
    <message>
        <source>Inputs with symbolic dimensions (%1): shapes and MAC counts that depend on them are unknown.</source>
        <translation>Entradas con dimensiones simbólicas (%1): las formas y los MAC que dependen de ellas son desconocidos.</translation>
    </message>
    <message>
        <source>Set Input Shapes...</source>
        <translation>Definir formas de entrada...</translation>
    </message>
    <message>
        <source>%1 - LayerBench</source>
        <translation>%1 - LayerBench</translation>
    </message>
    <message>
        <source>LayerBench</source>
        <translation>LayerBench</translation>
    </message>
    <message>
        <source>&amp;Open...</source>
        <translation>&amp;Abrir...</translation>
    </message>
    <message>
        <source>Export Graph as &amp;PNG...</source>
        <translation>Exportar grafo como &amp;PNG...</translation>
    </message>
    <message>
        <source>Export Graph as &amp;SVG...</source>
        <translation>Exportar grafo como &amp;SVG...</translation>
    </message>
    <message>
        <source>Set &amp;Input Shapes...</source>
        <translation>Definir formas de &amp;entrada...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Find...</source>
        <translation>&amp;Buscar...</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>Buscar &amp;siguiente</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>Buscar &amp;anterior</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>&amp;Ajustar a la ventana</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Acercar</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>A&amp;lejar</translation>
    </message>
    <message>
        <source>&amp;About LayerBench</source>
        <translation>&amp;Acerca de LayerBench</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Properties</source>
        <translation>&amp;Propiedades</translation>
    </message>
    <message>
        <source>&amp;Summary</source>
        <translation>&amp;Resumen</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Configuración</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Open an ONNX model with File &gt; Open or drop it here.</source>
        <translation>Abra un modelo ONNX con Archivo &gt; Abrir o suéltelo aquí.</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Vaciar la lista</translation>
    </message>
    <message>
        <source>Recent Files</source>
        <translation>Archivos recientes</translation>
    </message>
    <message>
        <source>These files no longer exist and were removed from the list:
%1</source>
        <translation>Estos archivos ya no existen y se quitaron de la lista:
%1</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>Abrir modelo</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>Modelos ONNX (*.onnx);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Export Graph as SVG</source>
        <translation>Exportar grafo como SVG</translation>
    </message>
    <message>
        <source>Export Graph as PNG</source>
        <translation>Exportar grafo como PNG</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>Imágenes SVG (*.svg)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Imágenes PNG (*.png)</translation>
    </message>
    <message>
        <source>Graph exported to %1</source>
        <translation>Grafo exportado a %1</translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation>Error al exportar</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>No se puede escribir %1.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>The new language will be used the next time LayerBench starts.</source>
        <translation>El nuevo idioma se usará la próxima vez que se inicie LayerBench.</translation>
    </message>
    <message>
        <source>About LayerBench</source>
        <translation>Acerca de LayerBench</translation>
    </message>
    <message>
        <source>&lt;h3&gt;LayerBench %1&lt;/h3&gt;&lt;p&gt;A workbench for shipping neural networks to edge devices: open an ONNX model, see its graph, profile it layer by layer, quantize it and compare backends.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;LayerBench %1&lt;/h3&gt;&lt;p&gt;Un banco de trabajo para llevar redes neuronales a dispositivos embebidos: abra un modelo ONNX, vea su grafo, perfílelo capa por capa, cuantícelo y compare backends.&lt;/p&gt;&lt;p&gt;Compilado con Qt %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>%1: %2 nodes, %3 ms to open</source>
        <translation>%1: %2 nodos, abierto en %3 ms</translation>
    </message>
</context>
<context>
    <name>lb::app::NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
</context>
<context>
    <name>lb::app::StartupOptions</name>
    <message>
        <source>LayerBench: a workbench for shipping neural networks to edge devices.</source>
        <translation>LayerBench: un banco de trabajo para llevar redes neuronales a dispositivos embebidos.</translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation>Muestra esta ayuda y sale.</translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation>Muestra la versión y sale.</translation>
    </message>
    <message>
        <source>Fix an input&apos;s shape, e.g. x=1x3x640x640 (repeatable).</source>
        <translation>Fija la forma de una entrada, p. ej. x=1x3x640x640 (repetible).</translation>
    </message>
    <message>
        <source>Open MODEL, save the main window to FILE.png and exit.</source>
        <translation>Abre MODEL, guarda la ventana principal en FILE.png y sale.</translation>
    </message>
    <message>
        <source>User interface language for this run: en or es.</source>
        <translation>Idioma de la interfaz para esta ejecución: en o es.</translation>
    </message>
    <message>
        <source>ONNX model to open.</source>
        <translation>Modelo ONNX que abrir.</translation>
    </message>
    <message>
        <source>Expected at most one model, got %1.</source>
        <translation>Se esperaba como mucho un modelo; se recibieron %1.</translation>
    </message>
    <message>
        <source>--screenshot needs a MODEL to open.</source>
        <translation>--screenshot necesita un MODEL que abrir.</translation>
    </message>
    <message>
        <source>Unknown language &apos;%1&apos;: expected en or es.</source>
        <translation>Idioma desconocido «%1»: se esperaba en o es.</translation>
    </message>
</context>
<context>
    <name>lb::widgets::GraphView</name>
    <message>
        <source>Model graph</source>
        <translation>Grafo del modelo</translation>
    </message>
</context>
<context>
    <name>lb::widgets::OpCountModel</name>
    <message>
        <source>Op</source>
        <translation>Operación</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Cantidad</translation>
    </message>
</context>
<context>
    <name>lb::widgets::PropertiesPane</name>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>Property</source>
        <translation>Propiedad</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>(omitted)</source>
        <translation>(omitida)</translation>
    </message>
    <message>
        <source>(weight)</source>
        <translation>(peso)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Nodos</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>Entradas</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>Salidas</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Operación</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Dominio</translation>
    </message>
    <message>
        <source>ai.onnx (default)</source>
        <translation>ai.onnx (predeterminado)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Doc</source>
        <translation>Documentación</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>Atributos</translation>
    </message>
    <message>
        <source>%1 elements   min %2   max %3   mean %4   std %5</source>
        <translation>%1 elementos   mín %2   máx %3   media %4   desv %5</translation>
    </message>
    <message numerus="yes">
        <source>%n non-finite value(s) left out</source>
        <translation>
            <numerusform>%n valor no finito omitido</numerusform>
            <numerusform>%n valores no finitos omitidos</numerusform>
        </translation>
    </message>
    <message>
        <source>value</source>
        <translation>valor</translation>
    </message>
    <message>
        <source>count</source>
        <translation>cantidad</translation>
    </message>
</context>
<context>
    <name>lb::widgets::SearchBar</name>
    <message>
        <source>Find node, op or tensor</source>
        <translation>Buscar nodo, operación o tensor</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter)</source>
        <translation>Coincidencia anterior (Mayús+Intro)</translation>
    </message>
    <message>
        <source>Next match (Enter)</source>
        <translation>Coincidencia siguiente (Intro)</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Cerrar (Esc)</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Sin coincidencias</translation>
    </message>
</context>
<context>
    <name>lb::widgets::SummaryPane</name>
    <message>
        <source>File: %1</source>
        <translation>Archivo: %1</translation>
    </message>
    <message>
        <source>Graph: %1</source>
        <translation>Grafo: %1</translation>
    </message>
    <message>
        <source>IR version: %1</source>
        <translation>Versión de IR: %1</translation>
    </message>
    <message>
        <source>Opsets: %1</source>
        <translation>Opsets: %1</translation>
    </message>
    <message>
        <source>Producer: %1</source>
        <translation>Productor: %1</translation>
    </message>
    <message>
        <source>%1 MACs</source>
        <translation>%1 MAC</translation>
    </message>
    <message numerus="yes">
        <source>(%n node(s) unknown)</source>
        <translation>
            <numerusform>(%n nodo desconocido)</numerusform>
            <numerusform>(%n nodos desconocidos)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 parameters (%2 bytes)   %3   %4 nodes</source>
        <translation>%1 parámetros (%2 bytes)   %3   %4 nodos</translation>
    </message>
    <message>
        <source>%1 parameters, %2 MACs</source>
        <translation>%1 parámetros, %2 MAC</translation>
    </message>
    <message>
        <source>nodes</source>
        <translation>nodos</translation>
    </message>
</context>
<context>
    <name>lb::widgets::TensorTableModel</name>
    <message>
        <source>input</source>
        <translation>entrada</translation>
    </message>
    <message>
        <source>output</source>
        <translation>salida</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Función</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
</context>
</TS>
